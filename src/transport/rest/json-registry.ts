/**
 * The type registry the REST gateway reads and writes JSON with: the registry of every type
 * an Any may hold (given by the composition root) plus every message of the files the served services are declared in and
 * everything those files import. A registry built from a file holds that file's own types only,
 * so without the closure an Any holding a message declared in an imported file (an Operation
 * whose response is a DesktopImage or a Compute Image) could not be written as JSON.
 *
 *   const registry = jsonRegistry(router.services(), anyTypes);
 *   toJson(OperationSchema, op, { registry });
 */
import { createRegistry, type DescFile, type DescService, type Registry } from '@bufbuild/protobuf';
export function jsonRegistry(services: readonly DescService[], anyTypes: Registry): Registry {
  const files = new Set<DescFile>();
  const visit = (file: DescFile) => {
    if (files.has(file)) return;
    files.add(file);
    for (const dep of file.dependencies) visit(dep);
  };
  for (const s of services) visit(s.file);
  return createRegistry(anyTypes, ...files);
}

/**
 * One case list, two protocols (gapic-showcase style): a call is named by its gRPC path and
 * given as a proto3 JSON request; each protocol answers `{ ok: <proto3 JSON> }` or
 * `{ error: { code, message } }`, so the transcripts of a scenario can be compared whole.
 *
 *   const grpc = grpcProtocol(sdk, services);      // official SDK clients, messages re-encoded
 *   const rest = restProtocol(restFor(server), bindings);
 *   await rest.call('/yandex.cloud.operation.OperationService/Get', { operationId });
 */
import { fromBinary, fromJson, toBinary, toJson, type DescMethod, type DescService } from '@bufbuild/protobuf';
import { jsonRegistry } from '../../src/transport/rest/json-registry.js';
import { OperationWire } from '../../src/api/operation-wire.js';
import { RESPONSES, SERVICES } from '../../src/resources.js';
import { cloudDesktop, compute, operation, type SdkClients } from '../harness/sdk.js';
import { failureOf } from '../harness/assert-error.js';
import { httpRequestFor, type HttpBinding } from './descriptors.js';
import type { Rest } from './rest-client.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export type Outcome = { ok: Json } | { error: { code: number; message: string } };

export interface Protocol {
  readonly name: string;
  call(path: string, request: Json): Promise<Outcome>;
}

export function restProtocol(rest: Rest, bindings: readonly HttpBinding[]): Protocol {
  return {
    name: 'rest',
    async call(path, request) {
      const binding = bindings.find((b) => b.path === path);
      if (!binding) throw new Error(`no REST binding for ${path}`);
      const { verb, url, body } = httpRequestFor(binding, request);
      const res = await rest.request(verb, url, { body });
      if (res.status === 200) return { ok: res.json };
      return { error: { code: res.json.code, message: res.json.message } };
    },
  };
}

interface SdkMethod {
  path: string;
  requestDeserialize(b: Buffer): unknown;
  responseSerialize(m: unknown): Buffer;
}

/** Calls through the official SDK; requests and answers cross to protobuf-es by their bytes. */
export function grpcProtocol(sdk: SdkClients, services: readonly DescService[]): Protocol {
  const methods = new Map<string, DescMethod>();
  for (const s of services) for (const m of s.methods) methods.set(`/${s.typeName}/${m.name}`, m);
  const sdkMethods = new Map<string, { client: Json; name: string; def: SdkMethod }>();
  const pairs: [Json, Record<string, SdkMethod>][] = [
    [sdk.desktopImages, cloudDesktop.desktopImageService.DesktopImageServiceClient.service],
    [sdk.images, compute.imageService.ImageServiceClient.service],
    [sdk.operations, operation.operationService.OperationServiceClient.service],
  ];
  for (const [client, defs] of pairs) for (const [name, def] of Object.entries(defs)) sdkMethods.set(def.path, { client, name, def });
  const registry = jsonRegistry(services, new OperationWire(RESPONSES, SERVICES.map((s) => s.service)).anyTypes);
  return {
    name: 'grpc',
    async call(path, request) {
      const method = methods.get(path);
      const target = sdkMethods.get(path);
      if (!method || !target) throw new Error(`no SDK method for ${path}`);
      const bytes = toBinary(method.input, fromJson(method.input, request, { registry }));
      const sdkRequest = target.def.requestDeserialize(Buffer.from(bytes));
      try {
        const res = await target.client[target.name](sdkRequest);
        const out = fromBinary(method.output, target.def.responseSerialize(res));
        return { ok: toJson(method.output, out, { registry }) };
      } catch (err) {
        const f = failureOf(err);
        return { error: { code: f.code, message: f.details } };
      }
    },
  };
}

const ID = /\b(?:e3v|fd8)[a-z0-9]{17}\b/g;
const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

/**
 * Replaces what legitimately differs between two runs: ids (numbered in order of appearance,
 * also inside messages), timestamps, page tokens, request ids, and the folder name; drops the
 * `value: {}` of an Any holding Empty (written by the REST gateway, not by protobuf-es).
 */
export function normalise(value: Json, folder: string, ids = new Map<string, string>()): Json {
  const id = (s: string) => s.replace(ID, (m) => {
    if (!ids.has(m)) ids.set(m, `<id${ids.size + 1}>`);
    return ids.get(m)!;
  });
  if (Array.isArray(value)) return value.map((v) => normalise(v, folder, ids));
  if (typeof value === 'string') return TIME.test(value) ? '<time>' : id(value.split(folder).join('<folder>'));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'nextPageToken' || k === 'pageToken') out[k] = '<token>';
    else if (k === 'requestId') out[k] = '<request-id>';
    else out[k] = normalise(v, folder, ids);
  }
  if (out['@type'] === 'type.googleapis.com/google.protobuf.Empty' && JSON.stringify(out['value']) === '{}') delete out['value'];
  return out;
}

/**
 * Stored operations → yandex.cloud.operation.Operation, and the registry of every message type
 * an Any may hold. Each resource registers how its operations' response goes on the wire (its
 * response binding); this hub packs by the response's type name and never names a resource.
 *
 *   const wire = new OperationWire(RESPONSE_BINDINGS, SERVICE_DESCRIPTORS);   // in app.ts
 *   return wire.toWire(await images.copy(...));
 */
import { create, createRegistry, type DescFile, type DescMessage, type DescService, type Message, type MessageShape, type Registry } from '@bufbuild/protobuf';
import { anyPack, EmptySchema, file_google_protobuf_empty, type Any } from '@bufbuild/protobuf/wkt';
import { OperationSchema, type Operation as WireOperation } from '../gen/yandex/cloud/operation/operation_pb.js';
import { file_google_rpc_error_details } from '../gen/google/rpc/error_details_pb.js';
import type { Operation, OperationResponse } from '../domain/operation/operation.js';
import { buildStatus } from '../transport/status.js';
import { ts } from './wire.js';

/** How an operation response of one message type goes on the wire. */
export interface ResponseBinding {
  readonly schema: DescMessage;
  readonly toWire: (value: never) => Message;
}

export function responseBinding<S extends DescMessage, T>(schema: S, toWire: (value: T) => MessageShape<S>): ResponseBinding {
  return { schema, toWire: toWire as (value: never) => Message };
}

export class OperationWire {
  /** Every message type an Any in a response may hold: the services' files and their imports. */
  readonly anyTypes: Registry;
  private readonly bindings: ReadonlyMap<string, ResponseBinding>;

  constructor(bindings: readonly ResponseBinding[], services: readonly DescService[]) {
    this.bindings = new Map(bindings.map((b) => [b.schema.typeName, b]));
    this.anyTypes = createRegistry(...withDependencies([file_google_protobuf_empty, file_google_rpc_error_details, ...services.map((s) => s.file)]));
  }

  toWire(op: Operation): WireOperation {
    const metaSchema = this.anyTypes.getMessage(op.metadata.type);
    if (!metaSchema) throw new Error(`unknown metadata type ${op.metadata.type}`);
    const wire = create(OperationSchema, {
      id: op.id,
      description: op.description,
      createdAt: ts(op.createdAt),
      createdBy: op.createdBy,
      modifiedAt: ts(op.modifiedAt),
      done: op.done,
      metadata: anyPack(metaSchema, create(metaSchema, op.metadata.fields)),
    });
    if (op.error) {
      wire.result = { case: 'error', value: buildStatus(op.error.code, op.error.message, op.error.violations) };
    } else if (op.response) {
      wire.result = { case: 'response', value: this.responseToAny(op.response) };
    }
    return wire;
  }

  private responseToAny(r: OperationResponse): Any {
    if (r.type === EmptySchema.typeName) return anyPack(EmptySchema, create(EmptySchema));
    const binding = this.bindings.get(r.type);
    if (!binding) throw new Error(`no response binding for ${r.type}`);
    return anyPack(binding.schema, binding.toWire(r.value as never));
  }
}

/** A registry built from a file holds only that file's own types: add what it imports. */
function withDependencies(roots: readonly DescFile[]): DescFile[] {
  const files = new Set<DescFile>();
  const visit = (f: DescFile) => {
    if (files.has(f)) return;
    files.add(f);
    f.dependencies.forEach(visit);
  };
  roots.forEach(visit);
  return [...files];
}

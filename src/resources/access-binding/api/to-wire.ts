/** Domain access bindings and deltas ↔ yandex.cloud.access messages. */
import { create } from '@bufbuild/protobuf';
import {
  AccessBindingAction, AccessBindingSchema, AccessBindingsOperationResultSchema,
  type AccessBinding as WireAccessBinding, type AccessBindingsOperationResult,
} from '../../../gen/yandex/cloud/access/access_pb.js';
import type { AccessBinding, AccessBindingsResult } from '../domain/access-binding.js';
import type { BindingInput } from '../domain/access-bindings.js';

export function accessBindingToWire(b: Pick<AccessBinding, 'roleId' | 'subjectType' | 'subjectId'>): WireAccessBinding {
  return create(AccessBindingSchema, { roleId: b.roleId, subject: { id: b.subjectId, type: b.subjectType } });
}

export function accessBindingsResultToWire(r: AccessBindingsResult): AccessBindingsOperationResult {
  return create(AccessBindingsOperationResultSchema, {
    effectiveDeltas: r.effectiveDeltas.map((d) => ({ action: AccessBindingAction[d.action], accessBinding: accessBindingToWire(d.binding) })),
  });
}

/** A binding of a request, with the field path its problems are reported against. */
export function bindingInput(b: WireAccessBinding, field: string): BindingInput {
  return { binding: { roleId: b.roleId, subjectType: b.subject?.type ?? '', subjectId: b.subject?.id ?? '' }, field };
}

/** Domain access bindings and deltas ↔ yandex.cloud.access messages. */
import { create } from '@bufbuild/protobuf';
import {
  AccessBindingAction, AccessBindingSchema, AccessBindingsOperationResultSchema,
  type AccessBinding as WireAccessBinding, type AccessBindingsOperationResult, type SetAccessBindingsRequest, type UpdateAccessBindingsRequest,
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

/** The bindings of a SetAccessBindingsRequest (any service's). */
export function bindingInputs(req: SetAccessBindingsRequest): BindingInput[] {
  return req.accessBindings.map((b, i) => bindingInput(b, `access_bindings[${i}]`));
}

/** The deltas of an UpdateAccessBindingsRequest (any service's). */
export function deltaInputs(req: UpdateAccessBindingsRequest): (BindingInput & { action: 'ADD' | 'REMOVE' })[] {
  return req.accessBindingDeltas.map((d, i) => ({
    // `required` on the enum already refused ACCESS_BINDING_ACTION_UNSPECIFIED.
    action: d.action === AccessBindingAction.REMOVE ? 'REMOVE' : 'ADD',
    ...bindingInput(d.accessBinding!, `access_binding_deltas[${i}].access_binding`),
  }));
}

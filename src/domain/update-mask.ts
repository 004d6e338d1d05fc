/**
 * update_mask semantics of the API conventions (§1.4): with a mask only the listed fields
 * change (a listed field absent from the request is reset); without one every updatable field
 * is replaced. Maps are replaced whole; sub-paths and unknown paths are INVALID_ARGUMENT.
 *
 *   const patch = applyUpdateMask(['name'], ['name', 'labels'], { name: 'x', labels: {} });
 *   // → { name: 'x' }
 */
import { InvalidArgumentError, type FieldViolation } from './errors.js';

export function applyUpdateMask<T extends Record<string, unknown>>(
  paths: string[],
  updatable: readonly (keyof T & string)[],
  values: T,
): Partial<T> {
  if (paths.length === 0) return { ...values };
  const violations: FieldViolation[] = [];
  const patch: Partial<T> = {};
  for (const path of paths) {
    const field = updatable.find((f) => f === path);
    if (field) {
      patch[field] = values[field];
    } else if (updatable.some((f) => path.startsWith(`${f}.`))) {
      violations.push({ field: 'update_mask', description: `Field "${path}": only whole fields can be updated` });
    } else {
      violations.push({ field: 'update_mask', description: `Unknown field "${path}"` });
    }
  }
  if (violations.length > 0) throw new InvalidArgumentError(violations);
  return patch;
}

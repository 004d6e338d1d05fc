/**
 * Freezes a value and everything inside it that can be frozen, for objects shared between calls
 * (a cached row's wire message, a List request's parsed filter). Typed arrays are left as they
 * are (they cannot be frozen); what is already frozen is not walked again.
 *
 *   const shared = deepFreeze(parseFilter(text, fields));
 */
export function deepFreeze<T extends object>(value: T): T {
  for (const v of Object.values(value) as unknown[]) {
    if (v && typeof v === 'object' && !ArrayBuffer.isView(v) && !Object.isFrozen(v)) deepFreeze(v);
  }
  return Object.freeze(value);
}

/**
 * Typed values carried by a call's context, set by guards and interceptors and read by the
 * handlers after them (the pattern of connect-es's context values). A key is an object, so two
 * parts cannot collide on a name and every read has the type of its key.
 *
 *   export const SUBJECT = createContextKey<Subject | undefined>(undefined, 'subject');
 *   ctx.values.set(SUBJECT, subject);        // the authentication guard
 *   const who = ctx.values.get(SUBJECT);     // Subject | undefined
 */
export interface ContextKey<T> {
  readonly id: symbol;
  readonly defaultValue: T;
}

export function createContextKey<T>(defaultValue: T, description?: string): ContextKey<T> {
  return { id: Symbol(description), defaultValue };
}

export class ContextValues {
  private readonly values = new Map<symbol, unknown>();

  get<T>(key: ContextKey<T>): T {
    return this.values.has(key.id) ? (this.values.get(key.id) as T) : key.defaultValue;
  }

  set<T>(key: ContextKey<T>, value: T): this {
    this.values.set(key.id, value);
    return this;
  }
}

/** Who the call is from, as the RPC log line names it (an id, never a credential). */
export const LOGGED_SUBJECT = createContextKey<string | undefined>(undefined, 'logged-subject');

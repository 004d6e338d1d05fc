/** The caller of an RPC, as the authentication interceptor left it in the call context. */
import type { CallContext } from '../transport/rpc.js';
import type { Caller } from '../domain/desktop-image/desktop-images.js';

export const SUBJECT_ATTRIBUTE = 'subject';

export function callerOf(ctx: CallContext): Caller {
  const subject = ctx.attributes.get(SUBJECT_ATTRIBUTE) as { id: string } | undefined;
  return { subjectId: subject?.id ?? '' };
}

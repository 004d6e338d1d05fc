/**
 * Who is calling. The authentication interceptor puts a Subject into the call context under
 * `SUBJECT_ATTRIBUTE` (api/caller.ts); audit events, Operation.created_by and authorization
 * read it from there.
 */
/** The one `system` subject clouddesk knows in access bindings: every authenticated caller. */
export const ALL_AUTHENTICATED_USERS = 'allAuthenticatedUsers';

export type SubjectType = 'SERVICE_ACCOUNT' | 'BOOTSTRAP';

export interface Subject {
  /** Service account id (`aje...`), or `bootstrap` for the bootstrap credential. */
  id: string;
  type: SubjectType;
  /** Service account name, for audit events. */
  name: string;
  /** Id of the IAM token used (not the token), for audit `token_info.iam_token_id`. */
  tokenId?: string;
}

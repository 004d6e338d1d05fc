/**
 * What a change that revokes credentials tells the token cache after it commits: forget the
 * tokens of deleted keys or of a deleted account, so they stop working at once.
 */
export interface TokenRevocation {
  forget(by: { keyIds?: readonly string[]; subjectId?: string }): void;
}

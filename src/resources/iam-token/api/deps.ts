/** What the IamTokenService handlers need from the domain. */
import type { IamTokens } from '../domain/tokens.js';
import type { Throttling } from '../../../api/authz/authenticate.js';

export interface Deps {
  readonly tokens: IamTokens;
  /** A refused JWT counts as a failed authentication of the caller's address. */
  readonly throttling: Throttling;
}

/** What the IamTokenService handlers need from the domain. */
import type { IamTokens } from '../domain/tokens.js';

export interface Deps {
  readonly tokens: IamTokens;
}

/** IAM tokens: their table, IamTokenService, and purging expired ones. */
import { definePart, type Module } from '../../module.js';
import type { IamTokens } from './domain/tokens.js';
import { registerService } from '../../api/service.js';
import type { OperationWire } from '../../api/operation-wire.js';
import type { Throttling } from '../../api/authz/authenticate.js';
import { iamTokenStorage } from './storage/table.js';
import { iamTokenService } from './api/service.js';

export const iamTokenPart = definePart({ name: 'iam-token', storage: iamTokenStorage, service: iamTokenService });

/** `tokens` is built by the IAM module, which authenticates with it. */
export function iamTokenModule(d: { tokens: IamTokens; throttling: Throttling; wire: OperationWire }): Module {
  return {
    name: 'iam-token',
    register: (router) => registerService(router, iamTokenService, { tokens: d.tokens, throttling: d.throttling }, d.wire),
    async housekeeping(tx, now) {
      await tx.iamTokens.purgeExpired(now);
    },
  };
}

/**
 * Puts authentication and authorization on a router. Authentication is a guard (it runs before
 * request validation); authorization is an interceptor, registered where the composition root
 * wants it in the chain, and sealed once every service is registered: sealing compiles the
 * table against the router and throws for a method without a rule, so the server does not
 * start. Until sealed, the interceptor refuses everything.
 *
 *   const auth = createAuth({ authentication, authorizer, folders, table, throttling });
 *   router.guard(auth.authenticate);
 *   router.use(auth.authorize);
 *   ...register services...
 *   auth.seal(router);
 */
import type { Guard, Interceptor, Router } from '../../transport/rpc.js';
import type { Authentication } from '../../resources/iam-token/domain/authentication.js';
import type { Authorizer } from '../../domain/iam/authorizer.js';
import type { ResourceFolders } from '../../domain/iam/resource-folders.js';
import { InternalError } from '../../domain/errors.js';
import { authenticationGuard, type Throttling } from './authenticate.js';
import { authorizationInterceptor } from './authorize.js';
import type { AuthzTable } from './table.js';

export interface Auth {
  readonly authenticate: Guard;
  readonly authorize: Interceptor;
  seal(router: Router): void;
}

export function createAuth(deps: {
  authentication: Authentication; authorizer: Authorizer; folders: ResourceFolders; table: AuthzTable; throttling: Throttling;
}): Auth {
  let sealed: Interceptor | undefined;
  return {
    authenticate: authenticationGuard(deps.authentication, deps.table, deps.throttling),
    authorize: (call, req, ctx, next) => {
      if (!sealed) throw new InternalError('Authorization is not ready');
      return sealed(call, req, ctx, next);
    },
    seal(router) {
      sealed = authorizationInterceptor(deps.authorizer, deps.folders, deps.table, router.methods());
    },
  };
}

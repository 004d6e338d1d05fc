/**
 * The identity part of the composition root: the bootstrap credential, IAM tokens, service
 * accounts, keys, folder access bindings, the role catalogue, and the authentication and
 * authorization that every RPC passes through.
 *
 *   const iam = startIam({ store, clock, runner, pager, config, recordChange });   // before runner.recover()
 *   router.guard(iam.auth.authenticate);  router.use(iam.auth.authorize);
 *   iam.register(router);  ...  iam.auth.seal(router);
 */
import type { Config } from './config/config.js';
import type { Clock } from './clock.js';
import type { Repos, Store } from './storage/store.js';
import type { Router } from './transport/rpc.js';
import type { OperationRunner } from './domain/operation/runner.js';
import type { Pager } from './domain/listing/pager.js';
import { loggers } from './logger.js';
import { loadBootstrapToken } from './config/bootstrap-token.js';
import { IamTokens } from './domain/iam/tokens.js';
import { Authentication, BootstrapCredential } from './domain/iam/authentication.js';
import { Authorizer } from './domain/iam/authorizer.js';
import { ResourceFolders } from './domain/iam/resource-folders.js';
import { ServiceAccounts } from './domain/iam/service-accounts.js';
import { Keys, type ChangeRecorder } from './domain/iam/keys.js';
import { AccessBindings } from './domain/iam/access-bindings.js';
import { registerIamJobs } from './domain/iam/jobs.js';
import { createAuth, type Auth } from './api/authz/install.js';
import { registerIamTokenService } from './api/iam-token-service/index.js';
import { registerServiceAccountService } from './api/service-account-service/index.js';
import { registerKeyService } from './api/key-service/index.js';
import { registerRoleService } from './api/role-service/index.js';
import { registerFolderService } from './api/folder-service/index.js';

export interface Iam {
  readonly auth: Auth;
  register(router: Router): void;
  housekeeping(tx: Repos, now: Date): Promise<void>;
}

export interface IamDeps {
  store: Store;
  clock: Clock;
  runner: OperationRunner;
  pager: Pager;
  config: Config;
  recordChange?: ChangeRecorder;
}

export function startIam({ store, clock, runner, pager, config, recordChange }: IamDeps): Iam {
  const bootstrap = loadBootstrapToken(config.dataDir, config.bootstrapToken);
  if (bootstrap.source === 'environment') loggers.server.info('bootstrap credential taken from CLOUDDESK_BOOTSTRAP_TOKEN');
  else loggers.server.info({ file: bootstrap.file }, bootstrap.source === 'created' ? 'bootstrap credential created (mode 0600)' : 'bootstrap credential read');
  if (bootstrap.tightened) loggers.server.warn({ file: bootstrap.file }, 'bootstrap credential file was readable by others; reset to mode 0600');

  registerIamJobs(runner);
  const tokens = new IamTokens(store, clock);
  const authorizer = new Authorizer(store, clock, config.systemFolderId);
  const auth = createAuth({
    authentication: new Authentication(new BootstrapCredential(bootstrap.token), tokens),
    authorizer,
    folders: new ResourceFolders(store),
  });
  return {
    auth,
    register(router) {
      registerIamTokenService(router, tokens);
      registerServiceAccountService(router, new ServiceAccounts(store, runner, pager, clock, tokens, authorizer));
      registerKeyService(router, new Keys(store, runner, pager, clock, tokens, recordChange));
      registerRoleService(router, pager);
      registerFolderService(router, new AccessBindings(store, runner, pager, authorizer));
    },
    async housekeeping(tx, now) {
      await tx.iamTokens.purgeExpired(now);
    },
  };
}

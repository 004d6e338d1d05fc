/**
 * Authentication and authorization at run time: the bootstrap credential, IAM tokens, the
 * authorizer over folder access bindings, the guard every RPC passes and the `authorize`
 * interceptor, sealed against the router once every service is registered.
 *
 *   const auth = authModule({ store, clock, dataDir, bootstrapToken, systemFolderId, descriptors, table });
 *   auth.tokens; auth.authorizer;   // for the IAM resources
 */
import type { Module } from '../module.js';
import type { Store } from '../domain/store.js';
import type { Clock } from '../clock.js';
import type { ChangeFeed } from '../domain/cluster.js';
import type { ResourceDescriptor } from '../domain/resource.js';
import { Authorizer } from '../domain/iam/authorizer.js';
import { ResourceFolders } from '../domain/iam/resource-folders.js';
import { IamTokens } from '../resources/iam-token/domain/tokens.js';
import { AuthThrottle, THROTTLE } from '../resources/iam-token/domain/throttle.js';
import { Authentication, BootstrapCredential } from '../resources/iam-token/domain/authentication.js';
import { createAuth } from '../api/authz/install.js';
import type { AuthzTable } from '../api/authz/table.js';
import type { Throttling } from '../api/authz/authenticate.js';
import { loadBootstrapToken } from '../config/bootstrap-token.js';
import { loggers } from '../logger.js';

export interface AuthModule extends Module {
  readonly tokens: IamTokens;
  readonly authorizer: Authorizer;
  /** Failed authentication per client address; the JWT exchange counts its refusals too. */
  readonly throttling: Throttling;
  /** The emulator controls accept only this credential. */
  readonly bootstrap: BootstrapCredential;
}

export interface AuthDeps {
  store: Store;
  clock: Clock;
  dataDir: string;
  /** From the environment, or undefined: the data dir's file (created on first start). */
  bootstrapToken?: string;
  systemFolderId: string;
  descriptors: readonly ResourceDescriptor<never>[];
  table: AuthzTable;
  trustProxy: boolean;
  /** Failures within 10 s before a penalty; 0 turns throttling off. */
  authFailureLimit: number;
  /** Tells the other replicas to drop cached tokens and grants. */
  feed: ChangeFeed;
}

export function authModule(d: AuthDeps): AuthModule {
  const bootstrap = loadBootstrapToken(d.dataDir, d.bootstrapToken);
  if (bootstrap.source === 'environment') loggers.server.info('bootstrap credential taken from CLOUDDESK_BOOTSTRAP_TOKEN');
  else loggers.server.info({ file: bootstrap.file }, bootstrap.source === 'created' ? 'bootstrap credential created (mode 0600)' : 'bootstrap credential read');
  if (bootstrap.tightened) loggers.server.warn({ file: bootstrap.file }, 'bootstrap credential file was readable by others; reset to mode 0600');

  const tokens = new IamTokens(d.store, d.clock, d.feed);
  const authorizer = new Authorizer(d.store, d.clock, d.systemFolderId, d.feed);
  const throttling: Throttling = { throttle: new AuthThrottle(d.clock, { ...THROTTLE, failures: d.authFailureLimit }), trustProxy: d.trustProxy };
  const credential = new BootstrapCredential(bootstrap.token);
  const auth = createAuth({
    authentication: new Authentication(credential, tokens),
    authorizer,
    folders: new ResourceFolders(d.store, d.descriptors),
    table: d.table,
    throttling,
  });
  return {
    name: 'auth',
    tokens,
    authorizer,
    throttling,
    bootstrap: credential,
    guard: auth.authenticate,
    interceptors: { authorize: auth.authorize },
    seal: (router) => auth.seal(router),
  };
}

/** Wires the shared repositories to one executor (a connection or a transaction). */
import type { Repos } from '../store.js';
import type { SqlExecutor } from './executor.js';
import { SqlDesktopImageRepo } from './desktop-images.js';
import { SqlComputeImageRepo } from './compute-images.js';
import { SqlOperationRepo } from './operations.js';
import { SqlPageCursorRepo } from './page-cursors.js';
import { SqlBlobRefRepo } from './blob-refs.js';
import { SqlServiceAccountRepo } from './iam-service-accounts.js';
import { SqlIamKeyRepo } from './iam-keys.js';
import { SqlIamTokenRepo } from './iam-tokens.js';
import { SqlAccessBindingRepo } from './access-bindings.js';
import { SqlAuditOutboxRepo } from './audit-outbox.js';
import { SqlIdempotencyKeyRepo } from './idempotency-keys.js';

export function sqlRepos(db: SqlExecutor): Repos {
  return {
    desktopImages: new SqlDesktopImageRepo(db),
    computeImages: new SqlComputeImageRepo(db),
    operations: new SqlOperationRepo(db),
    pageCursors: new SqlPageCursorRepo(db),
    blobRefs: new SqlBlobRefRepo(db),
    serviceAccounts: new SqlServiceAccountRepo(db),
    iamKeys: new SqlIamKeyRepo(db),
    iamTokens: new SqlIamTokenRepo(db),
    accessBindings: new SqlAccessBindingRepo(db),
    auditOutbox: new SqlAuditOutboxRepo(db),
    idempotencyKeys: new SqlIdempotencyKeyRepo(db),
  };
}

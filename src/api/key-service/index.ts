/**
 * yandex.cloud.iam.v1.KeyService: Get, List, Create (synchronous, returns the private key
 * once) and Delete (revokes the key's tokens). Update and ListOperations answer UNIMPLEMENTED.
 * An empty service_account_id means the caller's own account (wire-contract.md 16 item 8).
 */
import { create } from '@bufbuild/protobuf';
import type { Router } from '../../transport/rpc.js';
import { CreateKeyResponseSchema, KeyService, ListKeysResponseSchema } from '../../gen/yandex/cloud/iam/v1/key_service_pb.js';
import { Key_Algorithm } from '../../gen/yandex/cloud/iam/v1/key_pb.js';
import type { Keys } from '../../domain/iam/keys.js';
import { callerOf } from '../caller.js';
import { operationToWire } from '../operation-service/to-wire.js';
import type { CallContext } from '../../transport/rpc.js';
import type { Subject } from '../../domain/iam/subject.js';
import { SUBJECT_ATTRIBUTE } from '../caller.js';
import { keyToWire } from './to-wire.js';

export function registerKeyService(router: Router, keys: Keys): void {
  router.add(KeyService, {
    get: async (req) => keyToWire(await keys.get(req.keyId)),
    list: async (req, ctx) => {
      const page = await keys.list(ownAccountIfEmpty(req.serviceAccountId, ctx), req.pageSize, req.pageToken);
      return create(ListKeysResponseSchema, { keys: page.items.map(keyToWire), nextPageToken: page.nextPageToken });
    },
    create: async (req, ctx) => {
      // Unset means RSA_2048, the documented default (wire-contract.md 16 item 7).
      const algorithm = req.keyAlgorithm === Key_Algorithm.RSA_4096 ? 'RSA_4096' : 'RSA_2048';
      const { key, privateKey } = await keys.create(
        { serviceAccountId: ownAccountIfEmpty(req.serviceAccountId, ctx), description: req.description, algorithm },
        callerOf(ctx),
      );
      return create(CreateKeyResponseSchema, { key: keyToWire(key), privateKey });
    },
    delete: async (req, ctx) => operationToWire(await keys.delete(req.keyId, callerOf(ctx))),
  });
}

/** The caller's own account; the bootstrap credential has none, so its use case answers INVALID_ARGUMENT. */
function ownAccountIfEmpty(serviceAccountId: string, ctx: CallContext): string {
  if (serviceAccountId !== '') return serviceAccountId;
  const subject = ctx.attributes.get(SUBJECT_ATTRIBUTE) as Subject | undefined;
  return subject?.type === 'SERVICE_ACCOUNT' ? subject.id : '';
}

/** Domain authorized key → yandex.cloud.iam.v1.Key (public half only). */
import { create } from '@bufbuild/protobuf';
import { KeySchema, Key_Algorithm, type Key } from '../../../gen/yandex/cloud/iam/v1/key_pb.js';
import type { AuthorizedKey } from '../domain/key.js';
import { ts, tsOrUndefined } from '../../../api/wire.js';

export function keyToWire(k: AuthorizedKey): Key {
  return create(KeySchema, {
    id: k.id,
    subject: { case: 'serviceAccountId', value: k.serviceAccountId },
    createdAt: ts(k.createdAt),
    description: k.description,
    keyAlgorithm: Key_Algorithm[k.algorithm],
    publicKey: k.publicKey,
    lastUsedAt: tsOrUndefined(k.lastUsedAt),
  });
}

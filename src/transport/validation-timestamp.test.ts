/** The (value) time range on google.protobuf.Timestamp fields of the IAM protos. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { validateMessage } from './validation.js';
import { CreateServiceAccountRequestSchema } from '../gen/yandex/cloud/iam/v1/service_account_service_pb.js';

const RANGE = 'Value must be in range 19700101T000000.000000000-21051231T235959.999999999';

function check(expiresAt?: { seconds: bigint; nanos: number }): string[] {
  const req = create(CreateServiceAccountRequestSchema, { folderId: 'f', name: 'sa', expiresAt });
  return validateMessage(CreateServiceAccountRequestSchema, req).map((v) => `${v.field}: ${v.description}`);
}

describe('validation: timestamp ranges', () => {
  it('accepts an absent timestamp and the two inclusive ends', () => {
    assert.deepEqual(check(), []);
    assert.deepEqual(check({ seconds: 0n, nanos: 0 }), []);
    assert.deepEqual(check(timestampFromDate(new Date('2030-01-01T00:00:00Z'))), []);
    const last = BigInt(Date.UTC(2105, 11, 31, 23, 59, 59) / 1000);
    assert.deepEqual(check({ seconds: last, nanos: 999_999_999 }), []);
  });

  it('rejects a time before the epoch or after 2105', () => {
    assert.deepEqual(check({ seconds: -1n, nanos: 999_999_999 }), [`expires_at: ${RANGE}`]);
    const after = BigInt(Date.UTC(2106, 0, 1) / 1000);
    assert.deepEqual(check({ seconds: after, nanos: 0 }), [`expires_at: ${RANGE}`]);
  });
});

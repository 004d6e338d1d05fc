/**
 * yandex.cloud.iam.v1.KeyService: Get, List, Create (synchronous, returns the private key
 * once) and Delete (revokes the key's tokens). Update and ListOperations answer UNIMPLEMENTED.
 */
import { KeyService } from '../../../gen/yandex/cloud/iam/v1/key_service_pb.js';
import { read, res, write } from '../../../api/authz/rules.js';
import { defineService, unimplemented } from '../../../api/service.js';
import { KEY } from '../domain/key.js';
import { IAM } from './deps.js';
import { get } from './get.js';
import { list } from './list.js';
import { create } from './create.js';
import { remove } from './delete.js';

export const keyService = defineService(KeyService, {
  auditSource: 'iam',
  eventIdPrefix: KEY.idPrefix,
  rpcs: {
    get,
    list,
    create,
    delete: remove,
    update: unimplemented([write(IAM, res(KEY, 'key_id'))]),
    listOperations: unimplemented([read(IAM, res(KEY, 'key_id'))]),
  },
});

/**
 * yandex.cloud.iam.v1.ServiceAccountService: Get, List, Create and Delete. Update, the
 * access-binding RPCs of the account, ListOperations, Suspend and Reactivate are declared and
 * answer UNIMPLEMENTED.
 */
import { ServiceAccountService } from '../../../gen/yandex/cloud/iam/v1/service_account_service_pb.js';
import { ServiceAccountSchema } from '../../../gen/yandex/cloud/iam/v1/service_account_pb.js';
import { admin, read, res, write } from '../../../api/authz/rules.js';
import { defineService, unimplemented } from '../../../api/service.js';
import { responseBinding } from '../../../api/operation-wire.js';
import { SERVICE_ACCOUNT } from '../domain/service-account.js';
import { serviceAccountToWire } from './to-wire.js';
import { IAM } from './deps.js';
import { get } from './get.js';
import { list } from './list.js';
import { create } from './create.js';
import { remove } from './delete.js';

const account = (field = 'service_account_id') => res(SERVICE_ACCOUNT, field);

export const serviceAccountService = defineService(ServiceAccountService, {
  auditSource: 'iam',
  eventIdPrefix: SERVICE_ACCOUNT.idPrefix,
  rpcs: {
    get,
    list,
    create,
    delete: remove,
    update: unimplemented([write(IAM, account())]),
    listAccessBindings: unimplemented([read(IAM, account('resource_id'))]),
    setAccessBindings: unimplemented([admin(IAM, account('resource_id'))]),
    updateAccessBindings: unimplemented([admin(IAM, account('resource_id'))]),
    listOperations: unimplemented([read(IAM, account())]),
    suspend: unimplemented([write(IAM, account())]),
    reactivate: unimplemented([write(IAM, account())]),
  },
});

export const serviceAccountResponse = responseBinding(ServiceAccountSchema, serviceAccountToWire);

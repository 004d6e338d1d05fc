/** yandex.cloud.operation.OperationService: Get and Cancel. */
import { OperationService } from '../../../gen/yandex/cloud/operation/operation_service_pb.js';
import { defineService } from '../../../api/service.js';
import { get } from './get.js';
import { cancel } from './cancel.js';

export const operationService = defineService(OperationService, { rpcs: { get, cancel } });

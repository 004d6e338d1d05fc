/** yandex.cloud.endpoint.ApiEndpointService: endpoint discovery, answered without a credential. */
import { ApiEndpointService } from '../../../gen/yandex/cloud/endpoint/api_endpoint_service_pb.js';
import { defineService } from '../../../api/service.js';
import { get } from './get.js';
import { list } from './list.js';

export const endpointService = defineService(ApiEndpointService, { rpcs: { get, list } });

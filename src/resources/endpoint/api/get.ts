import { ApiEndpointService } from '../../../gen/yandex/cloud/endpoint/api_endpoint_service_pb.js';
import { rpc } from '../../../api/service.js';
import { getEndpoint } from '../domain/endpoints.js';
import { addressFor, type Deps } from './deps.js';

/** Public: a client asks where the APIs are before it has a token. */
export const get = rpc(ApiEndpointService.method.get, {
  auth: 'public',
  handler: (deps: Deps) => async (req, call) => getEndpoint(req.apiEndpointId, addressFor(deps, call.ctx)),
});

import { ApiEndpointService } from '../../../gen/yandex/cloud/endpoint/api_endpoint_service_pb.js';
import { rpc } from '../../../api/service.js';
import { listEndpoints } from '../domain/endpoints.js';
import { addressFor, type Deps } from './deps.js';

/** Public, like Get; the list is short and fixed, so the page token is a plain offset. */
export const list = rpc(ApiEndpointService.method.list, {
  auth: 'public',
  handler: (deps: Deps) => async (req, call) => listEndpoints(addressFor(deps, call.ctx), Number(req.pageSize), req.pageToken),
});

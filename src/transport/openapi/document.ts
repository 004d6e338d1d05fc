/**
 * GET /openapi.json: an OpenAPI 3.1 document of the REST API, generated from the same service
 * descriptors and `google.api.http` annotations that the REST transcoder routes by, so an
 * annotated RPC is documented the moment it is registered. Nothing here names a service.
 *
 *   const doc = openApiDocument(router);   // built once per router, then cached
 *   sendJson(res, 200, doc);
 *
 * Every operation answers 200 with its response message, and any other status with the error
 * body `{code, message, details}` (google.rpc.Status in proto3 JSON, see status.ts). Callers
 * authenticate with `Authorization: Bearer <token>`. A GET custom method is also served at POST
 * (rest/route-table.ts); only the annotated verb is documented.
 */
import type { Router } from '../rpc.js';
import { routesOf, type Route } from '../rest/route-table.js';
import { StatusSchema } from '../../gen/google/rpc/status_pb.js';
import type { Schema } from './constraints.js';
import { SchemaBuilder } from './schemas.js';
import { openApiPath, operationOf, TRACE_HEADERS } from './operations.js';

const documents = new WeakMap<Router, Schema>();

export function openApiDocument(router: Router): Schema {
  let doc = documents.get(router);
  if (!doc) documents.set(router, (doc = build(router)));
  return doc;
}

/** The routes of every registered method, leaving out the POST aliases of GET custom methods. */
function documentedRoutes(router: Router): Route[] {
  return router.methods().flatMap((call) => {
    const routes = routesOf(call);
    return routes.filter((r) => !(r.verb === 'POST' && routes.some((o) => o.verb === 'GET' && o.template === r.template)));
  });
}

function build(router: Router): Schema {
  const schemas = new SchemaBuilder();
  const paths: Record<string, Record<string, Schema>> = {};
  const routes = documentedRoutes(router);
  const owners = new Map<string, Set<Route['call']>>();
  for (const r of routes) {
    const short = `${r.call.service.name}_${r.call.method.name}`;
    owners.set(short, (owners.get(short) ?? new Set()).add(r.call));
  }
  const tags = new Map<string, string>();
  const bindings = new Map<Route['call'], number>();
  for (const r of routes) {
    const { service, method } = r.call;
    const short = `${service.name}_${method.name}`;
    // Short ids read well in generated clients; the full name only where two would clash, and a
    // number on additional bindings of the same method.
    const n = (bindings.get(r.call) ?? 0) + 1;
    bindings.set(r.call, n);
    const id = (owners.get(short)!.size === 1 ? short : `${service.typeName}.${method.name}`) + (n > 1 ? `_${n}` : '');
    const path = openApiPath(r.template, method.input);
    (paths[path] ??= {})[r.verb.toLowerCase()] = operationOf(r, schemas, id);
    tags.set(service.typeName, service.name);
  }
  const error = schemas.message(StatusSchema);
  return {
    openapi: '3.1.0',
    info: {
      title: 'clouddesk: Cloud Desktop image API',
      version: 'v1',
      description:
        'REST/JSON face of the Yandex Cloud Cloud Desktop image, Compute image and Operation APIs served by clouddesk. ' +
        'JSON follows the proto3 JSON mapping; the same methods are served over gRPC on the same port.',
    },
    tags: [...tags].map(([name, short]) => ({ name, description: short })),
    paths: sortKeys(paths),
    components: {
      schemas: sortKeys(schemas.components),
      responses: {
        Error: {
          description: 'Any error: google.rpc.Status as proto3 JSON. The HTTP status follows the gRPC code (400, 401, 403, 404, 409, 429, 500, 501, 503 ...).',
          headers: TRACE_HEADERS,
          content: { 'application/json': { schema: error } },
        },
      },
      headers: {
        RequestId: { description: 'The x-request-id of the request, or one made up for it.', schema: { type: 'string' } },
        ServerTraceId: { description: 'Identifies this call in the server logs.', schema: { type: 'string' } },
      },
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <token>' },
      },
    },
    security: [{ bearerAuth: [] }],
  };
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * The OpenAPI document against the server's real REST answers: each schema is valid JSON Schema
 * 2020-12 (compiled by Ajv, regexes in the `u` dialect), and every request sent and answer got
 * in a full image lifecycle, errors included, is valid against the schema the document gives
 * for that path, verb and status.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { startServer, type RunningServer } from '../harness/server.js';
import { startImageSource, type ImageSource } from '../harness/image-source.js';
import { restFor, type Rest, type RestResponse } from '../rest/rest-client.js';
import { waitFor } from '../harness/wait.js';

type Json = Record<string, any>;
const ROOT = 'urn:clouddesk:openapi';

let server: RunningServer;
let src: ImageSource;
let rest: Rest;
let doc: Json;
let ajv: Ajv2020;

before(async () => {
  server = await startServer();
  src = await startImageSource();
  rest = restFor(server);
  doc = (await rest.get('/openapi.json')).json;
  ajv = new Ajv2020({
    strict: true,
    // Ajv's own lint: `oneOf: [{ required: ['imageId'] }, ...]` names properties of the parent.
    strictRequired: false,
    allErrors: true,
    formats: {
      'date-time': (s: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(s) && !Number.isNaN(Date.parse(s)),
      int64: /^-?\d+$/, uint64: /^\d+$/, int32: true, uint32: true, double: true, float: true,
    },
  });
  ajv.addSchema(absolute({ $id: ROOT, $defs: doc['components']['schemas'] }));
});

after(async () => {
  await src.close();
  await server.cleanup();
});

/** Schemas with their component references made absolute, so Ajv finds them under ROOT. */
function absolute(schema: unknown): Json {
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', `"${ROOT}#/$defs/`));
}

function operationFor(verb: string, path: string): Json {
  const bare = path.split('?')[0]!;
  const candidates = Object.keys(doc['paths'])
    .filter((p) => doc['paths'][p][verb.toLowerCase()])
    .sort((a, b) => b.replace(/\{[^}]*\}/g, '').length - a.replace(/\{[^}]*\}/g, '').length);
  for (const p of candidates) {
    const re = new RegExp(`^${p.split(/\{[^}]*\}/).map((s) => s.replace(/[.*+?^$()|[\]\\]/g, '\\$&')).join('[^/]+')}$`);
    if (re.test(bare)) return doc['paths'][p][verb.toLowerCase()];
  }
  assert.fail(`${verb} ${bare} matches no documented operation`);
}

function assertValid(schema: unknown, value: unknown, what: string, expected = true): void {
  const validate = ajv.compile(absolute(schema));
  assert.equal(validate(value), expected, `${what}: ${JSON.stringify(validate.errors, null, 2)}\n${JSON.stringify(value)}`);
}

/**
 * Sends the request and checks both it and the answer against the document. A body the server
 * is to refuse (`validBody` false) must be refused by the document's schema too.
 */
async function call(verb: string, path: string, body?: unknown, validBody = true): Promise<RestResponse> {
  const op = operationFor(verb, path);
  if (body !== undefined) assertValid(op['requestBody'].content['application/json'].schema, body, `${verb} ${path} request`, validBody);
  const res = await rest.request(verb, path, { body });
  const answer = res.status === 200 ? op['responses']['200'] : doc['components']['responses']['Error'];
  assert.ok(res.status === 200 || op['responses']['default'], `${verb} ${path}: ${res.status} is not documented`);
  assertValid(answer.content['application/json'].schema, res.json, `${verb} ${path} → ${res.status}`);
  return res;
}

async function done(op: Json): Promise<Json> {
  if (op['done']) return op;
  return waitFor(
    async () => {
      const cur = (await call('GET', `/operations/${op['id']}`)).json;
      return cur['done'] ? (cur as Json) : undefined;
    },
    { what: `operation ${op['id']} to be done`, timeoutMs: 20_000 },
  );
}

describe('OpenAPI schemas', () => {
  it('compile as JSON Schema 2020-12 in strict mode', () => {
    for (const name of Object.keys(doc['components']['schemas'])) {
      assert.ok(ajv.getSchema(`${ROOT}#/$defs/${name}`), name);
    }
  });

  it('hold every answer of an image lifecycle over REST, errors included', async () => {
    const created = await call('POST', '/compute/v1/images', { folderId: 'f-oa', name: 'base', uri: src.url(`/qcow2?virtual=${64 * 1024 ** 3}`) });
    assert.equal(created.status, 200, created.text);
    const imageId = (await done(created.json))['response']['id'] as string;
    await call('GET', `/compute/v1/images/${imageId}`);
    await call('GET', '/compute/v1/images?folderId=f-oa&pageSize=10');
    await call('GET', `/compute/v1/images/${imageId}/operations`);

    const copy = await call('POST', '/cloud-desktop/v1/images:copy', { folderId: 'f-oa', name: 'desk', imageId, labels: { env: 'test' } });
    const deskId = (await done(copy.json))['response']['id'] as string;
    assert.equal((await call('GET', `/cloud-desktop/v1/images/${deskId}`)).status, 200);
    await call('GET', '/cloud-desktop/v1/images?folderId=f-oa&orderBy=name');
    await done((await call('PATCH', `/cloud-desktop/v1/images/${deskId}`, { updateMask: 'name', name: 'renamed' })).json);
    await done((await call('DELETE', `/cloud-desktop/v1/images/${deskId}`)).json);

    assert.equal((await call('GET', `/cloud-desktop/v1/images/${deskId}`)).status, 404);
    assert.equal((await call('POST', '/cloud-desktop/v1/images:copy', { folderId: 'f-oa', name: 'x', imageId, labels: { Bad: 'x' } }, false)).status, 400);
    assert.equal((await call('POST', '/cloud-desktop/v1/images:copy', { folderId: 'f-oa', name: 'n'.repeat(51), imageId }, false)).status, 400);
    assert.equal((await call('GET', '/operations/nope:cancel')).status, 404);
  });
});

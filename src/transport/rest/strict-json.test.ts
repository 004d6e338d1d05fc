import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidArgumentError } from '../../domain/errors.js';
import { firstDuplicateKey, parseStrictJson } from './strict-json.js';

const refusedFor = (field: string | undefined, message: RegExp) => (e: unknown) =>
  e instanceof InvalidArgumentError && e.violations[0]?.field === field && message.test(e.message);

describe('strict JSON bodies', () => {
  it('parses JSON, and whitespace only as no body', () => {
    assert.deepEqual(parseStrictJson(Buffer.from('{"a":{"b":[1,{"c":"ж"}]},"d":1}')), { a: { b: [1, { c: 'ж' }] }, d: 1 });
    assert.equal(parseStrictJson(Buffer.from(' \n')), undefined);
  });

  it('refuses a repeated key, naming its path, escaped spellings included', () => {
    assert.throws(() => parseStrictJson(Buffer.from('{"name":"a","name":"b"}')), refusedFor('name', /more than once/));
    assert.equal(firstDuplicateKey('{"labels":{"env":"a","\\u0065nv":"b"}}'), 'labels.env');
    assert.equal(firstDuplicateKey('{"a":[{"x":1},{"x":2,"x":3}]}'), 'a[1].x');
    assert.equal(firstDuplicateKey('{"a":{"x":1},"b":{"x":1}}'), undefined);
  });

  it('refuses bytes that are not UTF-8 instead of replacing them', () => {
    const body = Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    assert.throws(() => parseStrictJson(body), (e: unknown) => e instanceof InvalidArgumentError && /UTF-8/.test(e.message));
    assert.throws(() => parseStrictJson(Buffer.from('{"a":')), (e: unknown) => e instanceof InvalidArgumentError && /not valid JSON/.test(e.message));
  });
});

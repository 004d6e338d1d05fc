/**
 * Validation options → JSON Schema keywords: the range grammar of (length), (value), (size),
 * and patterns made whole-value and valid in the `u` regex dialect.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { anchoredPattern, containerKeywords, parseRange, valueKeywords } from './constraints.js';
import { CopyDesktopImageRequestSchema, ListDesktopImagesRequestSchema } from '../../gen/yandex/cloud/clouddesktop/v1/desktop_image_service_pb.js';

describe('parseRange', () => {
  it('reads every form the options use', () => {
    assert.deepEqual(parseRange('<=50'), { max: 50n });
    assert.deepEqual(parseRange('<50'), { max: 49n });
    assert.deepEqual(parseRange('>=1'), { min: 1n });
    assert.deepEqual(parseRange('>0'), { min: 1n });
    assert.deepEqual(parseRange('8'), { min: 8n, max: 8n });
    assert.deepEqual(parseRange('1-63'), { min: 1n, max: 63n });
    assert.deepEqual(parseRange('4194304-4398046511104'), { min: 4194304n, max: 4398046511104n });
    assert.equal(parseRange('<=5O'), undefined);
  });
});

describe('anchoredPattern', () => {
  it('anchors the whole value and drops escapes the u dialect rejects', () => {
    assert.equal(anchoredPattern('[a-z]*'), '^(?:[a-z]*)$');
    assert.equal(anchoredPattern('[-_./\\@0-9a-z]*'), '^(?:[-_./@0-9a-z]*)$');
    assert.equal(anchoredPattern('[\\-a]\\.\\*'), '^(?:[\\-a]\\.\\*)$');
    assert.equal(anchoredPattern('(unclosed'), undefined);
  });
});

describe('valueKeywords and containerKeywords', () => {
  it('state lengths, patterns, sizes and map keys; int64 ranges in words', () => {
    const copy = CopyDesktopImageRequestSchema.field;
    assert.deepEqual(valueKeywords(copy.folderId!, copy.folderId!.scalar), { maxLength: 50 });
    assert.deepEqual(valueKeywords(copy.labels!, copy.labels!.scalar), { maxLength: 63, pattern: '^(?:[-_0-9a-z]*)$' });
    assert.deepEqual(containerKeywords(copy.labels!), {
      maxProperties: 64, propertyNames: { minLength: 1, maxLength: 63, pattern: '^(?:[a-z][-_0-9a-z]*)$' },
    });
    const pageSize = ListDesktopImagesRequestSchema.field.pageSize!;
    assert.deepEqual(valueKeywords(pageSize, pageSize.scalar), { description: 'Acceptable values are 0 to 1000, inclusive.' });
  });
});

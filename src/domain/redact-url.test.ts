import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { needsRedaction, redactUrl } from './redact-url.js';

describe('redactUrl', () => {
  it('keeps query parameter names, drops their values, userinfo and the fragment', () => {
    assert.equal(
      redactUrl('https://s3.example.com/b/a.qcow2?X-Amz-Credential=AK%2F1&X-Amz-Signature=abc&x=1#frag'),
      'https://s3.example.com/b/a.qcow2?X-Amz-Credential=REDACTED&X-Amz-Signature=REDACTED&x=REDACTED',
    );
    assert.equal(redactUrl('http://u:p@h.example/x'), 'http://h.example/x');
    assert.equal(redactUrl('https://h.example/plain.qcow2'), 'https://h.example/plain.qcow2');
  });

  it('says which strings need it', () => {
    assert.equal(needsRedaction('https://h.example/a?sig=1'), true);
    assert.equal(needsRedaction('https://h.example/a'), false);
    assert.equal(needsRedaction('a name?with=query'), false);
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactKey } from '../../src/torn/index.js';

const KEY = 'aB3dE5gH7jK9mN1p';

test('a key query parameter is replaced wherever it sits in the query', () => {
  assert.equal(
    redactKey(`https://api.torn.com/user/?key=${KEY}&selections=profile`),
    'https://api.torn.com/user/?key=***&selections=profile',
  );
  assert.equal(redactKey(`/v2/key/info?comment=torncat&key=${KEY}`), '/v2/key/info?comment=torncat&key=***');
});

test('every key in a text is replaced, not only the first', () => {
  const out = redactKey(`a ?key=${KEY} b &KEY=${KEY.toLowerCase()} c`);
  assert.ok(!out.includes(KEY) && !out.includes(KEY.toLowerCase()), out);
});

test('an ApiKey authorization value is replaced', () => {
  assert.equal(redactKey(`Authorization: ApiKey ${KEY}`), 'Authorization: ApiKey ***');
});

test('a percent-encoded key inside a nested URL is replaced', () => {
  assert.ok(!redactKey(`next=%2Fv2%2Fkey%2Finfo%3Fkey%3D${KEY}`).includes(KEY));
});

test('text without a key is left alone', () => {
  const text = 'Torn API v2/faction/members: HTTP 502 at 127.0.0.1:8090';
  assert.equal(redactKey(text), text);
});

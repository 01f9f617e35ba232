import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  TORN_ERROR_CODES,
  TORN_ERROR_KINDS,
  TornApiError,
  disablesKey,
  isGlobalBackoff,
  isRetryable,
  kindForCode,
  restsKey,
  type TornErrorKind,
} from '../../src/torn/index.js';

// Written out by hand from Torn's documented list, so a slip in the table shows up as a diff here.
const EXPECTED: Record<number, TornErrorKind> = {
  0: 'unknown',
  1: 'bad_key',
  2: 'bad_key',
  3: 'bad_request',
  4: 'bad_request',
  5: 'key_rate_limited',
  6: 'bad_request',
  7: 'bad_request',
  8: 'ip_blocked',
  9: 'global_backoff',
  10: 'key_inactive',
  11: 'bad_request',
  12: 'temporary',
  13: 'key_inactive',
  14: 'key_rate_limited',
  15: 'temporary',
  16: 'access_level',
  17: 'global_backoff',
  18: 'key_paused',
  19: 'bad_request',
  20: 'bad_request',
  21: 'bad_request',
  22: 'bad_request',
  23: 'bad_request',
  24: 'global_backoff',
  25: 'bad_request',
  26: 'bad_request',
  27: 'bad_request',
  28: 'bad_request',
  29: 'bad_request',
};

test('every Torn error code from 0 to 29 maps to its kind and carries Torn text', () => {
  for (let code = 0; code <= 29; code++) {
    assert.equal(kindForCode(code), EXPECTED[code], `code ${code}`);
    assert.ok((TORN_ERROR_CODES[code]?.text.length ?? 0) > 5, `code ${code} has Torn's text`);
  }
});

test('the code table agrees with the v2 OpenAPI document on which codes exist', async () => {
  const { readFile } = await import('node:fs/promises');
  const spec = JSON.parse(await readFile(new URL('../../node_modules/tornapi-typescript/dist/openapi.json', import.meta.url), 'utf8')) as {
    components: { schemas: Record<string, { properties?: { code?: { enum?: number[] } } }> };
  };
  const specCodes = Object.entries(spec.components.schemas)
    .filter(([name]) => name.startsWith('Error') && name !== 'ErrorResponse')
    .flatMap(([, s]) => s.properties?.code?.enum ?? [])
    .sort((a, b) => a - b);
  assert.ok(specCodes.length >= 30);
  for (const code of specCodes) assert.ok(code in TORN_ERROR_CODES, `spec code ${code} is in our table`);
});

test('a code Torn adds later is unknown rather than a crash', () => {
  assert.equal(kindForCode(999), 'unknown');
  assert.equal(TornApiError.fromTorn('v2/key/info', 999, 'Brand new').kind, 'unknown');
});

test('bad, inactive and paused keys are disabled and nothing else is', () => {
  const disabling = TORN_ERROR_KINDS.filter(disablesKey).sort();
  assert.deepEqual(disabling, ['bad_key', 'key_inactive', 'key_paused']);
  for (const code of [2, 13, 18]) assert.ok(disablesKey(kindForCode(code)), `code ${code}`);
  assert.ok(!disablesKey(kindForCode(5)));
});

test('too many requests rests the key but does not back everything off', () => {
  assert.ok(restsKey(kindForCode(5)));
  assert.ok(!isGlobalBackoff(kindForCode(5)));
  assert.ok(!disablesKey(kindForCode(5)));
});

test('IP block, API disabled, backend error and closed temporarily back everything off', () => {
  for (const code of [8, 9, 17, 24]) assert.ok(isGlobalBackoff(kindForCode(code)), `code ${code}`);
  assert.deepEqual(TORN_ERROR_KINDS.filter(isGlobalBackoff).sort(), ['global_backoff', 'ip_blocked']);
});

test('only conditions that pass with time are retryable', () => {
  assert.deepEqual(TORN_ERROR_KINDS.filter(isRetryable).sort(), [
    'global_backoff',
    'ip_blocked',
    'key_rate_limited',
    'network',
    'temporary',
    'timeout',
  ]);
});

test('a Torn error keeps its code, kind and endpoint and says what Torn said', () => {
  const e = TornApiError.fromTorn('v2/faction/members', 2, 'Incorrect key');
  assert.ok(e instanceof Error);
  assert.equal(e.name, 'TornApiError');
  assert.equal(e.code, 2);
  assert.equal(e.kind, 'bad_key');
  assert.equal(e.endpoint, 'v2/faction/members');
  assert.match(e.message, /Incorrect key/);
});

test('an error message that somehow holds a key is redacted', () => {
  const e = new TornApiError({
    kind: 'network',
    code: null,
    endpoint: 'v2/key/info',
    message: 'failed https://api.torn.com/v2/key/info?key=abcdEFGH12345678&comment=torncat',
  });
  assert.ok(!e.message.includes('abcdEFGH12345678'));
  assert.ok(!String(e.stack).includes('abcdEFGH12345678'));
});

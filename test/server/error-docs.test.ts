// The protocol document lists the same error codes as the registry: the HTTP ones with their
// status, and the per-operation refusals of members' commands.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CALL_ERROR_CODES, ERROR_CODES } from '../../src/errors.js';

const doc = readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8');

test("docs/protocol.md's error table lists every code of the registry with its status, and no other", () => {
  const table = doc.slice(doc.indexOf('<!-- errors -->'), doc.indexOf('<!-- /errors -->'));
  const documented = [...table.matchAll(/^\| `([a-z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]);
  assert.deepEqual(
    documented.sort(),
    Object.entries(ERROR_CODES)
      .map(([code, e]) => [code, e.status])
      .sort(),
  );
});

test("docs/protocol.md's per-operation refusals are exactly CALL_ERROR_CODES", () => {
  const start = doc.indexOf('### Per-operation refusals of calls');
  const section = doc.slice(start, doc.indexOf('\n## ', start));
  const documented = [...section.matchAll(/^\| `([a-z_]+)` \|/gm)].map((m) => m[1]);
  assert.deepEqual(documented.sort(), [...CALL_ERROR_CODES].sort());
});

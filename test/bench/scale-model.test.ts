// The scale model (bench/scale-model.ts, docs/scale.md) from its inputs: enough addresses and nodes for
// the Torn requests and the clients, and the first limit named where its capacity is passed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MEASURED, RELAXED, scaleRow } from '../../bench/scale-model.js';

test('every row buys enough addresses (each a Torn budget) and nodes (one on each address at least), and no more than one spare address', () => {
  for (const inputs of [MEASURED, RELAXED]) {
    for (const factions of [1, 199, 200, 201, 1000, 4000]) {
      const r = scaleRow(factions, inputs);
      assert.ok(r.addresses * inputs.addressBudgetMin >= r.tornPerMin, `${factions}: addresses`);
      assert.ok((r.addresses - 1) * inputs.addressBudgetMin < r.tornPerMin, `${factions}: spare address`);
      assert.ok(r.nodes >= r.addresses && r.nodes * inputs.clientsPerNode >= r.clients, `${factions}: nodes`);
    }
  }
});

test('the commit-order lock is named the first limit once its capacity is passed, not before', () => {
  const full = MEASURED.notifyCapacityS / MEASURED.notifyPerFactionS;
  assert.notEqual(scaleRow(Math.floor(full) - 1).firstLimit, 'NOTIFY commit lock');
  assert.equal(scaleRow(Math.ceil(full) + 1).firstLimit, 'NOTIFY commit lock');
});

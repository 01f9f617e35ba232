import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config.js';

const base = { DATABASE_URL: 'memory://' };

test('the Torn budgets default to 20 a member and 600 a node', () => {
  const c = loadConfig(base);
  assert.equal(c.tornPlayerBudgetPerMin, 20);
  assert.equal(c.tornNodeBudgetPerMin, 600);
});

test('TORN_KEY_BUDGET_PER_MIN still sets the budget, now per member, unless TORN_PLAYER_BUDGET_PER_MIN is set', () => {
  assert.equal(loadConfig({ ...base, TORN_KEY_BUDGET_PER_MIN: '30' }).tornPlayerBudgetPerMin, 30);
  assert.equal(loadConfig({ ...base, TORN_KEY_BUDGET_PER_MIN: '30', TORN_PLAYER_BUDGET_PER_MIN: '25' }).tornPlayerBudgetPerMin, 25);
});

test("budgets past Torn's own limits are refused, naming the variable", () => {
  assert.throws(
    () => loadConfig({ ...base, TORN_PLAYER_BUDGET_PER_MIN: '101' }),
    (e: Error) => e instanceof ConfigError && /TORN_PLAYER_BUDGET_PER_MIN must be an integer 1-100/.test(e.message),
  );
  assert.throws(() => loadConfig({ ...base, TORN_KEY_BUDGET_PER_MIN: '0' }), /TORN_KEY_BUDGET_PER_MIN/);
  assert.throws(() => loadConfig({ ...base, TORN_NODE_BUDGET_PER_MIN: '1001' }), /TORN_NODE_BUDGET_PER_MIN must be an integer 1-1000/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config.js';

const base = { DATABASE_URL: 'memory://' };

test('the Torn budgets default to 20 a member and 600 an address, one address shared by every node, in a minute', () => {
  const c = loadConfig(base);
  assert.equal(c.tornPlayerBudgetPerMin, 20);
  assert.equal(c.tornAddressBudgetPerMin, 600);
  assert.equal(c.tornEgressAddress, 'default');
  assert.equal(c.tornBudgetWindowMs, 60_000);
  assert.equal(c.tornLocalAddress, undefined);
});

test('TORN_NODE_BUDGET_PER_MIN is the old name of TORN_ADDRESS_BUDGET_PER_MIN, read with a warning', () => {
  const old = loadConfig({ ...base, TORN_NODE_BUDGET_PER_MIN: '300' });
  assert.equal(old.tornAddressBudgetPerMin, 300);
  assert.ok(old.deprecations.some((d) => /TORN_NODE_BUDGET_PER_MIN is deprecated: set TORN_ADDRESS_BUDGET_PER_MIN/.test(d)));
  const both = loadConfig({ ...base, TORN_NODE_BUDGET_PER_MIN: '300', TORN_ADDRESS_BUDGET_PER_MIN: '400' });
  assert.equal(both.tornAddressBudgetPerMin, 400);
  assert.ok(both.deprecations.some((d) => /TORN_NODE_BUDGET_PER_MIN is ignored/.test(d)));
});

test('the egress address is a label; the local address must be an IP address', () => {
  assert.equal(loadConfig({ ...base, TORN_EGRESS_ADDRESS: ' 203.0.113.7 ' }).tornEgressAddress, '203.0.113.7');
  assert.throws(() => loadConfig({ ...base, TORN_EGRESS_ADDRESS: 'two words' }), /TORN_EGRESS_ADDRESS must be a label/);
  assert.equal(loadConfig({ ...base, TORN_LOCAL_ADDRESS: '127.0.0.2' }).tornLocalAddress, '127.0.0.2');
  assert.throws(() => loadConfig({ ...base, TORN_LOCAL_ADDRESS: 'eth0' }), /TORN_LOCAL_ADDRESS must be an IP address/);
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
  assert.throws(
    () => loadConfig({ ...base, TORN_ADDRESS_BUDGET_PER_MIN: '1001' }),
    /TORN_ADDRESS_BUDGET_PER_MIN must be an integer 1-1000/,
  );
});

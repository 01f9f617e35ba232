// The lines TornCat posts to Discord: Torn names read as written (Discord markdown escaped), times as
// m:ss, links without embeds (`<…>`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  chainBreakingMessage,
  enemyChainMessage,
  priorityEarlyExitMessage,
  priorityMarkMessage,
  warEndedMessage,
  warStartedMessage,
} from '../../src/discord/messages.js';

test("names with Discord's markdown characters are escaped, and every line says what happened", () => {
  assert.equal(warStartedMessage('The_*Rivals*', 4000), '⚔️ Our ranked war against **The\\_\\*Rivals\\*** has started (target 4000).');
  assert.equal(warStartedMessage('X', null), '⚔️ Our ranked war against **X** has started.');
  assert.equal(warEndedMessage('X', 4000, 3100, true), '🏁 Our ranked war against **X** is over: 4000 : 3100. We won.');
  assert.equal(warEndedMessage('X', 3000, 4000, false), '🏁 Our ranked war against **X** is over: 3000 : 4000. We lost.');
  assert.equal(warEndedMessage('X', 1, 2, null), '🏁 Our ranked war against **X** is over: 1 : 2.');
  assert.equal(chainBreakingMessage(97, 59.6), '⛓️ Our chain is at 97 and breaks in 0:59 unless someone hits: hit now!');
  assert.equal(chainBreakingMessage(12, 0), '⛓️ Our chain is at 12 and breaks in 0:00 unless someone hits: hit now!');
  assert.equal(enemyChainMessage('Big_Bad', 250), '⚠️ **Big\\_Bad** are chaining: their chain is at 250.');
  const attack = 'https://www.torn.com/loader.php?sid=attack&user2ID=3001';
  assert.equal(
    priorityMarkMessage({ id: 3001, name: 'Sly_Viper' }, 'Mad|Rook', 'hits (hard)', attack),
    `🎯 Priority target: **Sly\\_Viper** [3001], marked by Mad\\|Rook (hits \\(hard\\)). Attack: <${attack}>`,
  );
  assert.equal(
    priorityEarlyExitMessage({ id: 3001, name: 'a`b' }, attack),
    `🚨 Priority target **a\\\`b** [3001] is out of hospital early. Attack: <${attack}>`,
  );
});

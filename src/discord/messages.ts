// What TornCat posts to a faction's Discord channel, one line per event. Names come from Torn
// (letters, digits, `_` and `-`), but `_` is Discord markdown: they are escaped. No message mentions
// anyone (the sender posts with `allowed_mentions: { parse: [] }`).

/** Discord's markdown characters, escaped so that a name reads as written. */
function plain(text: string): string {
  return text.replace(/[\\*_~`|>[\]()]/g, (c) => `\\${c}`);
}

function mmss(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export function warStartedMessage(enemy: string, target: number | null): string {
  return `⚔️ Our ranked war against **${plain(enemy)}** has started${target ? ` (target ${target})` : ''}.`;
}

export function warEndedMessage(enemy: string, ours: number, theirs: number, won: boolean | null): string {
  const outcome = won === null ? '' : won ? ' We won.' : ' We lost.';
  return `🏁 Our ranked war against **${plain(enemy)}** is over: ${ours} : ${theirs}.${outcome}`;
}

export function chainBreakingMessage(current: number, timeoutS: number): string {
  return `⛓️ Our chain is at ${current} and breaks in ${mmss(timeoutS)} unless someone hits: hit now!`;
}

/**
 * The enemy's chain passed `current`: they are chaining on us. The enemy's chain arrives with the
 * war's answer (issue 21, item 2); until it is recorded, nothing calls this.
 */
export function enemyChainMessage(enemy: string, current: number): string {
  return `⚠️ **${plain(enemy)}** are chaining: their chain is at ${current}.`;
}

export function priorityMarkMessage(target: { id: number; name: string }, by: string, note: string | null, attack: string): string {
  return `🎯 Priority target: **${plain(target.name)}** [${target.id}], marked by ${plain(by)}${note ? ` (${plain(note)})` : ''}. Attack: <${attack}>`;
}

export function priorityEarlyExitMessage(target: { id: number; name: string }, attack: string): string {
  return `🚨 Priority target **${plain(target.name)}** [${target.id}] is out of hospital early. Attack: <${attack}>`;
}

/** `code` tells one test from another. */
export function testMessage(by: string, code: string): string {
  return `✅ TornCat test message ${code}, sent by ${plain(by)}: this channel gets the faction's war alerts.`;
}

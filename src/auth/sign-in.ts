import type { Database } from '../db/database.js';
import { AppError } from '../errors.js';
import { CREATE_KEY_URL, KEY_ACCESS_LEVEL } from '../protocol/terms.js';
import { isTornApiError, type Identity, type TornClient } from '../torn/index.js';
import type { KeyVault } from './key-vault.js';
import { createSession } from './sessions.js';
import { keyIsStored, storeKey } from './keys.js';
import { savePlayer } from './players.js';

export interface SignInResult {
  token: string;
  player: { id: number; name: string };
  faction: { id: number; name: string };
}

const KEY_FORMAT = /^[A-Za-z0-9]{16}$/;

/** Torn's level of a "Public Only" key; Minimal, Limited and Full are 2, 3 and 4. */
const PUBLIC_LEVEL = 1;
/**
 * What the poller reads with members' keys: v2 `faction/{id}/members` and `faction/{id}/wars`. Sign-in
 * also reads v1 `user/profile`; a key that may not gets Torn's error 16 from identify itself.
 */
const FACTION_SELECTIONS = ['members', 'wars'] as const;

/** The egress address's allowance for checking keys no node holds with Torn (every node sending from it together). */
export interface UnknownKeyChecks {
  /** Spends one check, or throws `rate_limited`. */
  take(): Promise<void>;
}

/** Keys Torn rejected lately (by digest): not sent to Torn again for a while. */
export interface RecentlyRejected {
  /** Throws (rejects) when the key was rejected lately. */
  check(digest: string): void | Promise<void>;
  remember(digest: string): void;
}

/**
 * Checks the key against Torn, records the player, their faction and the encrypted key,
 * and opens a session. Torn's verdict decides: a key Torn refuses never gets a session.
 */
export async function signIn(
  deps: {
    db: Database;
    torn: TornClient;
    vault: KeyVault;
    sessionTtlMs: number;
    rejectedKeys?: RecentlyRejected;
    unknownKeyChecks?: UnknownKeyChecks;
  },
  apiKey: unknown,
): Promise<SignInResult> {
  if (typeof apiKey !== 'string' || !KEY_FORMAT.test(apiKey)) {
    throw new AppError('invalid_api_key_format', 'apiKey must be a Torn API key: 16 letters and digits');
  }
  const digestBytes = deps.vault.digest(apiKey);
  const digest = digestBytes.toString('hex');
  await deps.rejectedKeys?.check(digest);
  // Bad keys from many clients must not add up to a Torn IP block: keys no node holds share one
  // allowance per egress address; a member signing in again with their stored key does not spend it.
  if (deps.unknownKeyChecks && !(await keyIsStored(deps.db, digestBytes))) await deps.unknownKeyChecks.take();
  let identity: Identity;
  let customSelections: readonly string[] | undefined;
  try {
    identity = await deps.torn.identify(apiKey, { fresh: true });
    // A custom key's level says nothing of what it may read: its selections do.
    if (identity.access.type === 'Custom') customSelections = await factionSelections(deps.torn, apiKey);
  } catch (e) {
    const err = signInError(e);
    if (err.code === 'torn_key_rejected') deps.rejectedKeys?.remember(digest);
    throw err;
  }
  checkAccess(identity.access, customSelections);
  const { player, faction } = identity;
  if (!faction) throw new AppError('no_faction', `${player.name} [${player.id}] is not in a faction: TornCat calls are per faction`);

  const token = await deps.db.transaction(async (tx) => {
    await tx.query(
      `insert into factions (id, name) values ($1, $2)
       on conflict (id) do update set name = excluded.name, updated_at = now()`,
      [faction.id, faction.name],
    );
    await savePlayer(tx, { id: player.id, name: player.name, level: player.level, factionId: faction.id, position: faction.position });
    await storeKey(tx, deps.vault, player.id, apiKey);
    return createSession(tx, player.id, faction.id, deps.sessionTtlMs);
  });
  return { token, player: { id: player.id, name: player.name }, faction: { id: faction.id, name: faction.name } };
}

async function factionSelections(torn: TornClient, apiKey: string): Promise<readonly string[]> {
  const info = await torn.keyInfo(apiKey, { fresh: true });
  // The client checks only the fields it reads; Torn's spec has `selections`, an odd answer may not.
  return (info.info as { selections?: { faction?: string[] } }).selections?.faction ?? [];
}

/** Refuses a key below Public, or a custom one that cannot read what the poller needs. */
function checkAccess(access: Identity['access'], customSelections: readonly string[] | undefined): void {
  if (customSelections) {
    const missing = FACTION_SELECTIONS.filter((s) => !customSelections.includes(s));
    if (missing.length > 0) throw accessTooLow(`This custom key cannot read faction ${missing.join(' and ')}`);
  } else if (!(access.level >= PUBLIC_LEVEL)) {
    throw accessTooLow(`This key's access (${access.type}, level ${access.level}) is below ${KEY_ACCESS_LEVEL}`);
  }
}

function accessTooLow(why: string, cause?: unknown): AppError {
  const how = `TornCat needs a ${KEY_ACCESS_LEVEL} key, nothing more: create one at ${CREATE_KEY_URL}`;
  return new AppError('key_access_too_low', `${why}. ${how}`, { cause });
}

function signInError(e: unknown): AppError {
  if (!isTornApiError(e)) return new AppError('torn_unavailable', 'Could not check the key with Torn', { cause: e });
  switch (e.kind) {
    case 'bad_key':
    case 'key_paused':
    case 'key_inactive':
      return new AppError('torn_key_rejected', `Torn rejected this API key: ${e.message}`, { cause: e });
    case 'key_rate_limited':
      return new AppError('torn_rate_limited', undefined, { cause: e });
    case 'access_level':
      return accessTooLow('Torn says the access level of this key is not high enough', e);
    default:
      return new AppError('torn_unavailable', `Could not check the key with Torn (${e.kind})`, { cause: e });
  }
}

import type { Database } from '../db/database.js';
import { AppError } from '../errors.js';
import { isTornApiError, type TornClient } from '../torn/index.js';
import type { KeyVault } from './key-vault.js';
import { createSession } from './sessions.js';
import { storeKey } from './keys.js';

export interface SignInResult {
  token: string;
  player: { id: number; name: string };
  faction: { id: number; name: string };
}

const KEY_FORMAT = /^[A-Za-z0-9]{16}$/;

/** Keys Torn rejected lately (by digest): not sent to Torn again for a while. */
export interface RecentlyRejected {
  /** Throws when the key was rejected lately. */
  check(digest: string): void;
  remember(digest: string): void;
}

/**
 * Checks the key against Torn, records the player, their faction and the encrypted key,
 * and opens a session. Torn's verdict decides: a key Torn refuses never gets a session.
 */
export async function signIn(
  deps: { db: Database; torn: TornClient; vault: KeyVault; sessionTtlMs: number; rejectedKeys?: RecentlyRejected },
  apiKey: unknown,
): Promise<SignInResult> {
  if (typeof apiKey !== 'string' || !KEY_FORMAT.test(apiKey)) {
    throw new AppError('invalid_api_key_format', 'apiKey must be a Torn API key: 16 letters and digits');
  }
  const digest = deps.vault.digest(apiKey).toString('hex');
  deps.rejectedKeys?.check(digest);
  let identity;
  try {
    identity = await deps.torn.identify(apiKey, { fresh: true });
  } catch (e) {
    const err = signInError(e);
    if (err.code === 'torn_key_rejected') deps.rejectedKeys?.remember(digest);
    throw err;
  }
  const { player, faction } = identity;
  if (!faction) throw new AppError('no_faction', `${player.name} [${player.id}] is not in a faction: TornCat calls are per faction`);

  const token = await deps.db.transaction(async (tx) => {
    await tx.query(
      `insert into factions (id, name) values ($1, $2)
       on conflict (id) do update set name = excluded.name, updated_at = now()`,
      [faction.id, faction.name],
    );
    await tx.query(
      `insert into players (id, name, level, faction_id) values ($1, $2, $3, $4)
       on conflict (id) do update set name = excluded.name, level = excluded.level, faction_id = excluded.faction_id, updated_at = now()`,
      [player.id, player.name, player.level, faction.id],
    );
    await storeKey(tx, deps.vault, player.id, apiKey);
    return createSession(tx, player.id, faction.id, deps.sessionTtlMs);
  });
  return { token, player: { id: player.id, name: player.name }, faction: { id: faction.id, name: faction.name } };
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
      return new AppError('torn_key_rejected', 'This key cannot read your faction: use a key with at least Minimal access', { cause: e });
    default:
      return new AppError('torn_unavailable', `Could not check the key with Torn (${e.kind})`, { cause: e });
  }
}

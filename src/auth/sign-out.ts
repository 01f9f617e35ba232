import type { Database } from '../db/database.js';
import { deleteKeysIfSignedOut, deletePlayerKeys, keyStatus } from './keys.js';
import { deletePlayerSessions, deleteSession, sessionOwner } from './sessions.js';
import { lockPlayer } from './players.js';

// Ending sessions and forgetting keys, so that a key is stored and used only while its owner is
// signed in (the terms in src/protocol/terms.ts). Each runs in one transaction holding the player's
// row lock, which sign-in also takes (its upsert of the player) before it stores a key and opens a
// session: a sign-in on another device either comes first and is seen, or waits and stores afresh.

export interface SignOutResult {
  /** Whether a key of the member is still stored: they are signed in elsewhere. */
  keyStored: boolean;
}

/** Ends the session of `token`; its player's keys go when it was their last live one. null: no such session. */
export async function signOut(db: Database, token: string): Promise<SignOutResult | null> {
  return db.transaction(async (tx) => {
    const playerId = await sessionOwner(tx, token);
    if (playerId === null) return null;
    await lockPlayer(tx, playerId);
    if (!(await deleteSession(tx, token))) return null;
    await deleteKeysIfSignedOut(tx, playerId);
    return { keyStored: (await keyStatus(tx, playerId)) !== 'none' };
  });
}

export interface ForgetResult {
  keysDeleted: number;
  sessionsEnded: number;
}

/** Deletes every stored key and every session of the player at once (their streams close: see migration 004). */
export async function forgetMember(db: Database, playerId: number): Promise<ForgetResult> {
  return db.transaction(async (tx) => {
    await lockPlayer(tx, playerId);
    const keysDeleted = await deletePlayerKeys(tx, playerId);
    const sessionsEnded = await deletePlayerSessions(tx, playerId);
    return { keysDeleted, sessionsEnded };
  });
}

import { AppError } from '../errors.js';
import { resolveSession, type Member } from '../auth/sessions.js';
import { takeKeyDisabledNotice } from '../auth/keys.js';
import type { AppContext } from './app-context.js';

/** The bearer token of an `Authorization` header, or the `?token=` fallback (EventSource and WebSocket cannot set headers). */
export function tokenFrom(authorization: string | undefined | null, queryToken: string | undefined | null): string | undefined {
  const m = authorization ? /^Bearer\s+(\S+)$/i.exec(authorization) : null;
  return m?.[1] ?? (queryToken || undefined);
}

/** The token, or `unauthorized` when there is none. */
export function requireToken(token: string | undefined): string {
  if (!token) throw new AppError('unauthorized', 'Missing token: send Authorization: Bearer <token> (from POST /api/auth)');
  return token;
}

/** The member behind the token, checked against the database now (no cached rights). */
export async function authenticate(ctx: AppContext, unchecked: string | undefined): Promise<Member> {
  const token = requireToken(unchecked);
  const session = await resolveSession(ctx.db, token, ctx.config.sessionTtlMs);
  if (!session) throw new AppError('unauthorized', 'Unknown or expired token: sign in again with POST /api/auth');
  const { member } = session;
  // Once after Torn refused the member's stored key: tell them (then their board shows keyStatus "disabled").
  const notice = session.keyNoticePending ? await takeKeyDisabledNotice(ctx.db, member.playerId) : null;
  if (notice) {
    throw new AppError(
      'key_disabled',
      `Torn refused your stored API key (${notice.reason}): sign in again with a working key (POST /api/auth)`,
    );
  }
  return member;
}

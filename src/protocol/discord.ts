/** `GET /api/discord/webhook`: whether the faction posts to Discord. The URL itself never leaves the server. */
export interface DiscordStatus {
  configured: boolean;
  /** Who set it (a member whose position may mark). */
  setBy: { id: number; name: string } | null;
  /** Unix seconds (the server's clock). */
  setAt: number | null;
  lastSentAt: number | null;
  /** Why the last message could not be posted, in words (Discord's status and what to do). */
  lastError: string | null;
  /** Messages waiting to be posted. */
  pending: number;
  /** This member's position may set, test and remove it (MARK_POSITIONS). */
  canManage: boolean;
}

/** What the board asks of `/api/discord/webhook`: read it, set it (`url`), post a test message, remove it. */
export type DiscordAction = { action: 'status' } | { action: 'set'; url: string } | { action: 'test' } | { action: 'remove' };

// The sync loop compares member lists poll after poll; it must not care whether a list came from v1
// (an object keyed by id, `until: 0`) or v2 (an array, `until: null`), or a status would look
// changed just because the source did. Fields only v2 has (`is_revivable`, `has_early_discharge`)
// are null from v1: "Torn did not say", never a guessed false.
import type { FactionBasicV1Response, FactionMembersResponse, Member, TornLastAction, TornStatus } from './types.js';

function normalizeStatus(s: TornStatus): Member['status'] {
  return {
    state: s.state,
    description: s.description,
    details: s.details === '' ? null : s.details,
    // v1 says 0 for "no end"; a real end is always in the past or future, never the epoch.
    until: s.until ? s.until : null,
    color: s.color,
    plane: text(s.plane_image_type),
  };
}

function flag(v: unknown): boolean | null {
  return typeof v === 'boolean' ? v : null;
}

function text(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

function normalizeLastAction(a: TornLastAction): Member['lastAction'] {
  return { status: a.status, timestamp: a.timestamp };
}

/** Members of a v2 `faction/members` or v1 `faction/?selections=basic` answer, ordered by id. */
export function toMembers(response: FactionMembersResponse | FactionBasicV1Response): Member[] {
  const members: Member[] = Array.isArray(response.members)
    ? response.members.map((m) => ({
        id: m.id,
        name: m.name,
        level: m.level,
        status: normalizeStatus(m.status),
        lastAction: normalizeLastAction(m.last_action),
        position: text(m.position),
        isRevivable: flag(m.is_revivable),
        hasEarlyDischarge: flag(m.has_early_discharge),
      }))
    : Object.entries(response.members).map(([id, m]) => ({
        id: Number(id),
        name: m.name,
        level: m.level,
        status: normalizeStatus(m.status),
        lastAction: normalizeLastAction(m.last_action),
        position: text(m.position),
        isRevivable: null,
        hasEarlyDischarge: null,
      }));
  return members.sort((a, b) => a.id - b.id);
}

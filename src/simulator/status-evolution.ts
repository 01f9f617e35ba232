// How statuses move on their own: hospital stays that end, med-outs, travels abroad and back, jail.
// Each player has his own generator and his own next-event time, so the state at any sim time is
// the same however often (or rarely) it is looked at: evolution is replayed lazily up to "now".
// Tuned for a few changes a minute across the 50 players, so a demo looks alive.

import { hash32, type SeededRandom } from './seeded-random.js';
import { okayStatus, SIM_COUNTRIES, type SimTicket } from './player-status.js';
import { playerRandom, type SimPlayer } from './scenario.js';

const MINUTE = 60;
/** Mean time a player stays Okay before something happens to him. */
const MEAN_OKAY_SECONDS = 7 * MINUTE;

/** Torn's destinations in the table's order; the short hops are picked more, as in a war. */
const DESTINATIONS: readonly string[] = Object.keys(SIM_COUNTRIES);

const HOSPITAL_REASONS = ['Hospitalized by', 'Mugged by', 'Attacked by', 'Lost to'];
const JAIL_REASONS = ['Caught shoplifting', 'Busted for vandalism', 'Caught selling counterfeit goods', 'Failed to bust a friend out'];

export interface StoryAgent {
  rng: SeededRandom;
  seed: number;
  /** Sim Unix seconds of this player's next change. */
  nextAt: number;
}

function pickDestination(rng: SeededRandom): string {
  return rng.chance(0.7) ? rng.pick(DESTINATIONS.slice(0, 3)) : rng.pick(DESTINATIONS);
}

/**
 * Most fly the airliner's standard ticket; some business class, the private island's airstrip or a
 * WLT jet. Drawn from the seed, the player and the time rather than the player's generator, so the
 * rest of his story (and every scenario built on the seed) stays as it was before tickets existed.
 */
function pickTicket(agent: StoryAgent, playerId: number, at: number): SimTicket {
  const roll = (hash32(agent.seed, playerId, at) % 1000) / 1000;
  return roll < 0.55 ? 'standard' : roll < 0.7 ? 'business' : roll < 0.85 ? 'airstrip' : 'private';
}

function flightSeconds(destination: string, ticket: SimTicket): number {
  return (SIM_COUNTRIES[destination] ?? SIM_COUNTRIES.Mexico).minutes[ticket] * MINUTE;
}

function hospitalize(
  p: SimPlayer,
  agent: StoryAgent,
  t: number,
  seconds: number,
  attackers: readonly string[],
  abroad: string | null = null,
): void {
  const { rng } = agent;
  const until = t + seconds;
  const details = attackers.length > 0 && rng.chance(0.85) ? `${rng.pick(HOSPITAL_REASONS)} ${rng.pick(attackers)}` : 'Overdosed on Xanax';
  // Some players pay for a med-out, are revived or discharged early, and come back before `until`.
  const early = rng.chance(0.2);
  p.status = { ...okayStatus(), state: 'Hospital', until, details, destination: abroad, earlyDischarge: early && rng.chance(0.5) };
  agent.nextAt = early ? t + rng.int(60, Math.max(61, seconds - 60)) : until;
}

function jail(p: SimPlayer, agent: StoryAgent, t: number, seconds: number): void {
  p.status = { ...okayStatus(), state: 'Jail', until: t + seconds, details: agent.rng.pick(JAIL_REASONS) };
  agent.nextAt = t + seconds;
}

function becomeOkay(p: SimPlayer, agent: StoryAgent, t: number): void {
  p.status = okayStatus();
  agent.nextAt = t + Math.max(30, Math.round(agent.rng.exponential(MEAN_OKAY_SECONDS)));
}

/** Draws the player's status at `t0` and schedules his first change. */
export function beginStory(p: SimPlayer, seed: number, t0: number, attackers: readonly string[]): StoryAgent {
  const rng = playerRandom(seed, p.id, 4);
  const agent: StoryAgent = { rng, seed, nextAt: t0 };
  const seen = rng.next();
  p.lastActionAt = t0 - (seen < 0.3 ? rng.int(0, 240) : seen < 0.6 ? rng.int(5 * MINUTE, 60 * MINUTE) : rng.int(3600, 3 * 86400));
  const roll = rng.next();
  if (roll < 0.55) {
    becomeOkay(p, agent, t0);
  } else if (roll < 0.75) {
    hospitalize(p, agent, t0, rng.int(MINUTE, 90 * MINUTE), attackers);
  } else if (roll < 0.85) {
    p.status = { ...okayStatus(), state: 'Abroad', destination: pickDestination(rng), ticket: pickTicket(agent, p.id, t0) };
    agent.nextAt = t0 + rng.int(MINUTE, 60 * MINUTE);
  } else if (roll < 0.92) {
    const dest = pickDestination(rng);
    const ticket = pickTicket(agent, p.id, t0);
    p.status = { ...okayStatus(), state: 'Traveling', destination: dest, returning: rng.chance(0.5), ticket };
    agent.nextAt = t0 + rng.int(MINUTE, flightSeconds(dest, ticket));
  } else if (roll < 0.97) {
    jail(p, agent, t0, rng.int(MINUTE, 45 * MINUTE));
  } else {
    becomeOkay(p, agent, t0);
  }
  return agent;
}

/** Applies every change due up to `t` (inclusive), in order. */
export function advanceStory(p: SimPlayer, agent: StoryAgent, t: number, attackers: readonly string[]): void {
  while (agent.nextAt <= t) {
    const at = agent.nextAt;
    const { rng } = agent;
    const s = p.status;
    switch (s.state) {
      case 'Okay': {
        const roll = rng.next();
        if (roll < 0.5) {
          hospitalize(p, agent, at, rng.int(3 * MINUTE, 45 * MINUTE), attackers);
        } else if (roll < 0.68) {
          const dest = pickDestination(rng);
          const ticket = pickTicket(agent, p.id, at);
          p.status = { ...okayStatus(), state: 'Traveling', destination: dest, ticket };
          p.lastActionAt = at;
          agent.nextAt = at + flightSeconds(dest, ticket);
        } else if (roll < 0.78) {
          p.lastActionAt = at;
          jail(p, agent, at, rng.int(5 * MINUTE, 45 * MINUTE));
        } else {
          // Nothing happens but the player is seen online.
          p.lastActionAt = at;
          becomeOkay(p, agent, at);
        }
        break;
      }
      case 'Traveling':
        p.lastActionAt = at;
        if (s.returning) {
          becomeOkay(p, agent, at);
        } else {
          p.status = { ...s, state: 'Abroad' };
          agent.nextAt = at + rng.int(5 * MINUTE, 30 * MINUTE);
        }
        break;
      case 'Abroad':
        p.lastActionAt = at;
        if (rng.chance(0.15)) {
          // Mugged or attacked abroad: a stay in that country's hospital.
          hospitalize(p, agent, at, rng.int(5 * MINUTE, 40 * MINUTE), attackers, s.destination ?? 'Mexico');
          break;
        }
        // Home on the same ticket as the way out.
        p.status = { ...s, state: 'Traveling', returning: true };
        agent.nextAt = at + flightSeconds(s.destination ?? 'Mexico', s.ticket);
        break;
      case 'Hospital':
        // Leaving before `until` is a med-out (or revive): the player acted, so he shows online.
        if (s.until !== null && at < s.until) p.lastActionAt = at;
        if (s.destination !== null) {
          // Out of a hospital abroad, still abroad; the flight home comes later.
          p.status = { ...okayStatus(), state: 'Abroad', destination: s.destination, ticket: s.ticket };
          agent.nextAt = at + rng.int(MINUTE, 10 * MINUTE);
        } else {
          becomeOkay(p, agent, at);
        }
        break;
      case 'Jail':
        // Leaving before `until` is a bust: the player acted, so he shows online.
        if (s.until !== null && at < s.until) p.lastActionAt = at;
        becomeOkay(p, agent, at);
        break;
      default:
        // Federal, Fallen, Awoken, Dormant are never entered on their own; such a player stays put.
        agent.nextAt = Number.POSITIVE_INFINITY;
    }
  }
}

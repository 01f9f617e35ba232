import type { Logger } from 'pino';
import { demoKeyFor } from '../simulator/index.js';

interface Target {
  id: number;
  status: { state: string };
}

/**
 * A few simulated members who sign in and call and release targets through the public HTTP API,
 * as real members would, so that a newcomer watching the board sees a live war.
 */
export class DemoMembers {
  #baseUrl: string;
  #players: number[];
  #log: Logger;
  #tokens = new Map<number, string>();
  #timer: NodeJS.Timeout | undefined;
  #random: () => number;

  constructor(o: { baseUrl: string; players: number[]; log: Logger; random?: () => number }) {
    this.#baseUrl = o.baseUrl;
    this.#players = o.players;
    this.#log = o.log;
    this.#random = o.random ?? Math.random;
  }

  async #post(path: string, body: unknown, token?: string): Promise<any> {
    const res = await fetch(this.#baseUrl + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    return res.json();
  }

  async signIn(): Promise<void> {
    for (const id of this.#players) {
      const r = await this.#post('/api/auth', { apiKey: demoKeyFor(id) });
      if (r.token) this.#tokens.set(id, r.token);
      else this.#log.warn({ playerId: id, error: r.error }, 'demo member could not sign in');
    }
  }

  /** One member acts: releases one of their calls, or calls a target who is out of hospital. */
  async step(): Promise<void> {
    const ids = [...this.#tokens.keys()];
    if (ids.length === 0) return;
    const me = ids[Math.floor(this.#random() * ids.length)];
    const token = this.#tokens.get(me)!;
    const war = await (await fetch(this.#baseUrl + '/api/war', { headers: { authorization: `Bearer ${token}` } })).json();
    if (!war.war?.active) return;
    const mine = (war.calls as { targetId: number; callerId: number }[]).filter((c) => c.callerId === me);
    const called = new Set((war.calls as { targetId: number }[]).map((c) => c.targetId));
    if (mine.length > 0 && (mine.length >= 2 || this.#random() < 0.4)) {
      await this.#post('/api/calls', { ops: [{ op: 'release', targetId: mine[0].targetId }] }, token);
      return;
    }
    const free = (war.targets as Target[]).filter((t) => t.status.state === 'Okay' && !called.has(t.id));
    if (free.length === 0) return;
    const target = free[Math.floor(this.#random() * free.length)];
    await this.#post('/api/calls', { ops: [{ op: 'call', targetId: target.id }] }, token);
  }

  start(everyMs: number): void {
    this.#timer = setInterval(() => {
      this.step().catch((e) => this.#log.warn({ err: e }, 'demo member step failed'));
    }, everyMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}

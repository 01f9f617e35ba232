// The /__sim/ endpoints that tests, benchmarks and outside checks use to script the war.
// JSON in and out; bad input is 400 `{"error":"<message naming the field>"}`.

import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { SIM_TICKETS, TORN_STATES } from './player-status.js';
import { viewLastAction, viewStatus } from './player-status.js';
import { demoKeyFor, type SimPlayer, type SimWar } from './scenario.js';
import { type SimWorld } from './sim-world.js';
import { SimControlError } from './sim-control-error.js';
import { CHAIN_TIMEOUT_SECONDS } from './sim-chain.js';
import { isTornErrorCode } from './torn-errors.js';
import { KEY_ACCESS_TYPES, KEY_INFO_CATEGORIES } from './key-access.js';
import { ATTACK_RESULTS } from './sim-attacks.js';
import { type TornGateway } from './torn-gateway.js';
import { IP_REQUESTS_PER_MINUTE } from './rate-limit.js';

const unixSeconds = z.number().int().nonnegative();

const statusBody = z
  .object({
    state: z.enum(TORN_STATES, { error: `state must be one of ${TORN_STATES.join(', ')}` }),
    until: unixSeconds.nullable().optional(),
    description: z.string().min(1).optional(),
    details: z.string().nullable().optional(),
    destination: z.string().min(1).optional(),
    returning: z.boolean().optional(),
    earlyDischarge: z.boolean().optional(),
    revivable: z.boolean().optional(),
    ticket: z.enum(SIM_TICKETS, { error: `ticket must be one of ${SIM_TICKETS.join(', ')}` }).optional(),
    lastActionAgo: z
      .number()
      .int()
      .nonnegative()
      .max(10 * 365 * 86_400)
      .optional(),
  })
  .strict();

const positionBody = z.object({ position: z.string().min(1).max(40) }).strict();

const chainBody = z
  .object({
    current: z.number().int().nonnegative().max(100_000).optional(),
    hits: z.number().int().positive().max(100_000).optional(),
    timeout: z.number().int().min(0).max(CHAIN_TIMEOUT_SECONDS).optional(),
    cooldown: z.number().int().nonnegative().optional(),
  })
  .strict();

const warStartBody = z
  .object({
    factions: z.tuple([z.number().int().positive(), z.number().int().positive()]).optional(),
    start: unixSeconds.optional(),
    target: z.number().int().positive().optional(),
  })
  .strict();

const attackBody = z
  .object({
    attacker: z.number().int().positive(),
    defender: z.number().int().positive(),
    result: z.enum(ATTACK_RESULTS, { error: `result must be one of ${ATTACK_RESULTS.join(', ')}` }).optional(),
    hospitalSeconds: z
      .number()
      .int()
      .positive()
      .max(7 * 86400)
      .optional(),
  })
  .strict();

const factionBody = z.object({ factionId: z.number().int().positive().nullable() }).strict();
const warEndBody = z.object({ winner: z.number().int().positive().optional() }).strict();
const clockBody = z.object({ advance: z.number().nonnegative().finite() }).strict();
const keyErrorBody = z
  .object({ code: z.number().int().refine(isTornErrorCode, 'code must be a Torn error code (0–32)').nullable() })
  .strict();

const ipBlockBody = z.object({ seconds: z.number().nonnegative().max(86_400).finite() }).strict();
const ipLimitBody = z.object({ perMinute: z.number().int().positive().max(100_000).nullable() }).strict();

const keyAccessBody = z
  .object({
    level: z.number().int().min(0).max(4),
    type: z.enum(KEY_ACCESS_TYPES, { error: `type must be one of ${KEY_ACCESS_TYPES.join(', ')}` }),
    /** A Custom key's selections by category, e.g. {"user":["profile"],"faction":["members","wars"]}. */
    selections: z
      .partialRecord(z.enum(KEY_INFO_CATEGORIES), z.array(z.string().regex(/^[a-z]+$/, 'a selection is a lowercase name')))
      .optional(),
  })
  .strict()
  .refine((b) => (b.type === 'Custom') === (b.selections !== undefined), 'selections are given for a Custom key, and only for one')
  .nullable();

function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}

/** Reads and checks a JSON body; an empty body reads as `{}` so "start now" needs no body at all. */
async function readBody<T>(c: Context, schema: z.ZodType<T>): Promise<T> {
  const text = await c.req.text();
  let json: unknown = {};
  if (text.trim() !== '') {
    try {
      json = JSON.parse(text);
    } catch {
      throw new SimControlError(400, 'body must be JSON');
    }
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new SimControlError(400, describeIssues(parsed.error));
  return parsed.data;
}

function positiveId(raw: string, what: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) <= 0) throw new SimControlError(400, `${what} id must be a positive integer`);
  return Number(raw);
}

function playerState(world: SimWorld, p: SimPlayer): Record<string, unknown> {
  const now = world.now();
  const s = viewStatus(p.status, now);
  return {
    id: p.id,
    name: p.name,
    level: p.level,
    factionId: p.factionId,
    position: p.position,
    key: demoKeyFor(p.id),
    status: { state: s.state, description: s.description, details: s.details, until: s.until },
    lastAction: viewLastAction(p.lastActionAt, now),
    pinned: world.isPinned(p.id),
  };
}

function warState(world: SimWorld, w: SimWar): Record<string, unknown> {
  return {
    id: w.id,
    start: w.start,
    end: w.end,
    winner: w.winner,
    target: w.target,
    factions: w.factionIds.map((id) => ({ id, name: world.faction(id)?.name ?? '', ...world.score(w, id) })),
  };
}

export function controlRoutes(gateway: TornGateway): Hono {
  const world = gateway.world;
  const app = new Hono();

  app.onError((e, c) => {
    if (e instanceof SimControlError) return c.json({ error: e.message }, e.status);
    console.error('simulator: control endpoint failed', e);
    return c.json({ error: 'internal error' }, 500);
  });

  app.post('/players/:id/status', async (c) => {
    const id = positiveId(c.req.param('id'), 'player');
    const body = await readBody(c, statusBody);
    if (!world.player(id)) throw new SimControlError(404, `unknown player ${id}`);
    return c.json({ player: playerState(world, world.setStatus(id, body)) });
  });

  // A med-out, revive or early discharge: the hospital stay ends now, before its `until`.
  app.post('/players/:id/discharge', async (c) => {
    const id = positiveId(c.req.param('id'), 'player');
    await readBody(c, z.object({}).strict());
    return c.json({ player: playerState(world, world.discharge(id)) });
  });

  app.post('/players/:id/position', async (c) => {
    const id = positiveId(c.req.param('id'), 'player');
    const body = await readBody(c, positionBody);
    return c.json({ player: playerState(world, world.setPosition(id, body.position)) });
  });

  app.post('/factions/:id/chain', async (c) => {
    const id = positiveId(c.req.param('id'), 'faction');
    const body = await readBody(c, chainBody);
    return c.json({ chain: world.setChain(id, body) });
  });

  // A player attacks another: the chain, the war score, the defender's hospital stay and the reports follow.
  app.post('/attacks', async (c) => {
    const body = await readBody(c, attackBody);
    const a = world.attack({
      attackerId: body.attacker,
      defenderId: body.defender,
      result: body.result,
      hospitalSeconds: body.hospitalSeconds,
    });
    return c.json({ attack: a, defender: playerState(world, world.player(a.defenderId)!) });
  });

  app.post('/players/:id/faction', async (c) => {
    const id = positiveId(c.req.param('id'), 'player');
    const body = await readBody(c, factionBody);
    return c.json({ player: playerState(world, world.setFaction(id, body.factionId)) });
  });

  app.post('/wars/:id/start', async (c) => {
    const id = positiveId(c.req.param('id'), 'war');
    const body = await readBody(c, warStartBody);
    return c.json({ war: warState(world, world.startWar(id, { factionIds: body.factions, start: body.start, target: body.target })) });
  });

  app.post('/wars/:id/end', async (c) => {
    const id = positiveId(c.req.param('id'), 'war');
    const body = await readBody(c, warEndBody);
    return c.json({ war: warState(world, world.endWar(id, body.winner)) });
  });

  app.get('/clock', (c) => c.json({ now: world.now() }));
  app.post('/clock', async (c) => {
    const body = await readBody(c, clockBody);
    const now = world.clock.advance(body.advance);
    world.catchUp();
    return c.json({ now });
  });

  app.post('/keys/:key/error', async (c) => {
    const key = c.req.param('key');
    const body = await readBody(c, keyErrorBody);
    world.setForcedError(key, body.code);
    return c.json({ key, code: body.code });
  });

  app.post('/keys/:key/access', async (c) => {
    const key = c.req.param('key');
    const body = await readBody(c, keyAccessBody);
    world.setKeyAccess(key, body && { level: body.level, type: body.type, custom: body.selections });
    const access = world.keyAccess(key);
    return c.json({ key, level: access.level, type: access.type, selections: access.custom ?? null });
  });

  // Torn's IP block: every key from the address gets error 8 for `seconds` (0 lifts it).
  app.post('/ip-block', async (c) => {
    const body = await readBody(c, ipBlockBody);
    return c.json({ blockedUntil: gateway.blockIp(body.seconds) });
  });
  app.get('/ip-block', (c) => c.json({ blockedUntil: gateway.ipBlockedUntil() }));

  // Torn's per-IP limit: on at Torn's 1,000 a minute ({"perMinute": 1000}) or any other figure, off
  // with null (the default: every test client shares one loopback address). Over it, error 8.
  app.post('/ip-limit', async (c) => {
    const body = await readBody(c, ipLimitBody);
    gateway.ipLimiter.setLimit(body.perMinute ?? Number.POSITIVE_INFINITY);
    return c.json({ perMinute: Number.isFinite(gateway.ipLimiter.limit) ? gateway.ipLimiter.limit : null });
  });
  app.get('/ip-limit', (c) =>
    c.json({ perMinute: Number.isFinite(gateway.ipLimiter.limit) ? gateway.ipLimiter.limit : null, torn: IP_REQUESTS_PER_MINUTE }),
  );

  app.get('/stats', (c) => c.json(gateway.stats.snapshot()));
  // The latest requests with their times and callers' addresses: `?since=<Unix ms>`.
  app.get('/requests', (c) => c.json(gateway.stats.requests(Number(c.req.query('since') ?? 0) || 0)));

  app.post('/reset', (c) => {
    world.reset();
    gateway.clear();
    return c.json({ ok: true, now: world.now() });
  });

  app.get('/state', (c) => {
    world.catchUp();
    return c.json({
      now: world.now(),
      seed: world.seed,
      dynamic: world.dynamic,
      factions: world.factions().map((f) => ({ id: f.id, name: f.name, tag: f.tag, memberIds: f.memberIds })),
      players: world.players().map((p) => playerState(world, p)),
      wars: world.wars().map((w) => warState(world, w)),
    });
  });

  return app;
}

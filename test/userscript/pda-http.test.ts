// TornPDA as it runs scripts (its public source, Manuito83/torn-pda; see pda-shim.js and torn-pda.ts):
// the served scripts still parse after PDA's rewrite, and no request is lost to PDA's 2-second
// de-duplication nor left hanging, against the real server through the same stand-in the Chromium
// tests inject.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Script } from 'node:vm';
import { pgliteBackend } from '../helpers/databases.js';
import { demoKey, type WarFixture } from '../helpers/war-fixture.js';
import { startWarRead } from '../helpers/war-read.js';
import { ApiError, TornCatApi } from '../../src/client/core/api.js';
import { pdaHttp, type PdaGet, type PdaPost } from '../../src/client/core/http/pda-http.js';
import { PDA_SHIM, pdaAdaptSource, pdaAppRequest } from './torn-pda.js';

const pglite = await pgliteBackend();

interface PdaWindow {
  PDA_httpGet: PdaGet;
  PDA_httpPost: PdaPost;
  __pdaDropped: string[];
  __pdaHandler(name: string, args: unknown[]): Promise<unknown>;
}

/** PDA's injected API (the stand-in's own code) on a plain object, its app side going through Node. */
function pdaWindow(): PdaWindow {
  const w = {
    __pdaHandler: (name: string, args: unknown[]) => {
      const [url, headers, body] = args as [string, Record<string, string>, string | undefined];
      return pdaAppRequest(name === 'PDA_httpGet' ? 'GET' : 'POST', url, headers ?? {}, body);
    },
  } as unknown as PdaWindow;
  (new Script(PDA_SHIM).runInThisContext() as (w: unknown) => void)(w);
  return w;
}

/** A promise that fails the test if `p` has not settled within `ms` (PDA's own requests never time out). */
function settlesWithin<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(t)),
    new Promise<never>((_, reject) => (t = setTimeout(() => reject(new Error(`${what}: still waiting after ${ms} ms`)), ms))),
  ]);
}

describe('TornPDA as it runs scripts', () => {
  let f: WarFixture;
  let token: string;

  before(async () => {
    ({ f, token } = await startWarRead(pglite));
  });
  after(async () => {
    await f?.close();
  });

  test("both served scripts are ASCII and still parse after PDA's rewrite (key, wrapper, curly quotes)", async () => {
    for (const file of ['torn-war-caller-sse.user.js', 'torn-war-caller.user.js']) {
      const source = await (await fetch(`${f.server.url}/${file}`)).text();
      const nonAscii = [...source].find((c) => c.charCodeAt(0) > 0x7f);
      assert.equal(nonAscii, undefined, `${file} is ASCII`);
      const adapted = pdaAdaptSource(source, demoKey(2001));
      assert.ok(adapted.includes(demoKey(2001)), 'the key is written in');
      assert.doesNotThrow(() => new Script(adapted, { filename: file }), `${file} parses after PDA's rewrite`);
    }
  });

  test('call, release, call of one target within 2 s: three requests, the target called at the end', async () => {
    const w = pdaWindow();
    const api = new TornCatApi(f.server.url, pdaHttp(w.PDA_httpGet, w.PDA_httpPost), () => token);
    const target = 3004;
    const started = Date.now();
    for (const op of ['call', 'release', 'call'] as const) {
      const r = await settlesWithin(api.calls([{ op, targetId: target }]), 10_000, op);
      assert.equal(r.results[0]?.ok, true, `${op}: ${JSON.stringify(r.results[0])}`);
    }
    assert.ok(Date.now() - started < 2000, 'the three went within PDA’s window, none held back');
    assert.deepEqual(w.__pdaDropped, [], 'PDA dropped none of them');
    const war = (await f.api('/api/war', { token })).body;
    const open = war.calls.filter((c: { targetId: number }) => c.targetId === target);
    assert.deepEqual(
      open.map((c: { callerId: number; state: string }) => [c.callerId, c.state]),
      [[2001, 'called']],
    );
  });

  test('a quick re-read answers, never "cannot reach the server", even after PDA dropped a copy of it', async () => {
    const w = pdaWindow();
    const api = new TornCatApi(f.server.url, pdaHttp(w.PDA_httpGet, w.PDA_httpPost), () => token);
    const seq = (await api.snapshot()).seq;
    const first = await settlesWithin(api.events(seq, 0), 10_000, 'first read');
    const again = await settlesWithin(api.events(seq, 0), 10_000, 'the same read again at once');
    assert.deepEqual(again, first);
    // Another copy of the script just read the same URL: PDA drops ours and says `undefined`.
    const url = `${f.server.url}/api/war`;
    await w.PDA_httpGet(url, { authorization: `Bearer ${token}` });
    const http = pdaHttp(w.PDA_httpGet, w.PDA_httpPost);
    const r = await settlesWithin(http.request('GET', url, { authorization: `Bearer ${token}` }), 10_000, 'read after a dropped one');
    assert.equal(r.status, 200);
    assert.ok(w.__pdaDropped.length >= 1, 'PDA did drop a duplicate');
  });

  test('a request the server never answers times out; a network error is an error, not a hang', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as AddressInfo).port;
    try {
      const w = pdaWindow();
      const api = new TornCatApi(`http://127.0.0.1:${port}`, pdaHttp(w.PDA_httpGet, w.PDA_httpPost, { timeoutMs: 500 }), () => token);
      await assert.rejects(
        settlesWithin(api.snapshot(), 10_000, 'a silent server'),
        (e) => e instanceof ApiError && e.code === 'network_error',
      );
      const closed = new TornCatApi('http://127.0.0.1:1', pdaHttp(w.PDA_httpGet, w.PDA_httpPost), () => token);
      await assert.rejects(
        settlesWithin(closed.snapshot(), 10_000, 'a closed port'),
        (e) => e instanceof ApiError && e.code === 'network_error',
      );
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });
});

// Shared by the simulator tests: one simulator per file, plain fetch against it.
import assert from 'node:assert/strict';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator/index.js';

export const keyOf = (playerId: number): string => 'demo' + String(playerId).padStart(12, '0');

export interface SimHandle {
  sim: Simulator;
  /** GET a Torn API path and parse the JSON body (Torn answers errors with 200 too). */
  torn(path: string, init?: RequestInit): Promise<any>;
  /** Raw body text, for byte-for-byte cache checks. */
  tornText(path: string): Promise<string>;
  /** Calls a /__sim/ endpoint; asserts the status (200 unless told). */
  control(method: 'GET' | 'POST', path: string, body?: unknown, expectStatus?: number): Promise<any>;
}

export async function openSimulator(opts: SimulatorOptions = {}): Promise<SimHandle> {
  const sim = await startSimulator({ port: 0, ...opts });
  const torn = async (path: string, init?: RequestInit): Promise<any> => {
    const res = await fetch(sim.url + path, init);
    assert.equal(res.status, 200, `Torn answers with HTTP 200, even errors (${path})`);
    return res.json();
  };
  const tornText = async (path: string): Promise<string> => (await fetch(sim.url + path)).text();
  const control = async (method: 'GET' | 'POST', path: string, body?: unknown, expectStatus = 200): Promise<any> => {
    const res = await fetch(sim.url + path, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const json = await res.json();
    assert.equal(res.status, expectStatus, `${method} ${path} answered ${res.status}: ${JSON.stringify(json)}`);
    return json;
  };
  return { sim, torn, tornText, control };
}

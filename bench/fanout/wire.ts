// What the fan-out bench's processes say to each other over their IPC channel, and the helpers
// they share: the clock, the event every server sends, spawning a child with enough descriptors.

import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TargetCallData } from '../../src/protocol/events.js';

/** Milliseconds on the monotonic clock, which every process of this machine shares. */
export function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export type ClientKind = 'sse' | 'ws' | 'socketio';

/** The servers under test, each in its own process. */
export type PeerKind = 'torncat' | 'floor-write' | 'floor-chunk' | 'socketio';

/** Parent → peer. */
export type PeerCommand =
  | { t: 'publish'; n: number; intervalMs: number }
  | { t: 'cpu' }
  | { t: 'rss' }
  /** Starts V8's CPU profiler in every process of the server, or stops it and writes the profiles to `file`…`.cpuprofile`. */
  | { t: 'profile'; file?: string }
  | { t: 'stop' };

/** Peer → parent. */
export type PeerReply =
  | { t: 'ready'; url: string; tokens: string[]; database?: string }
  | { t: 'published'; seqs: number[]; commits: number[] }
  | { t: 'cpu'; cpuMs: number; userMs: number; at: number }
  /** Every process of the server summed, after a GC in each. */
  | { t: 'rss'; rss: number; processes: number }
  | { t: 'profiled' };

export interface GeneratorInit {
  kind: ClientKind;
  url: string;
  /** Clients this generator opens. */
  count: number;
  tokens: string[];
  /** The loopback address its clients connect from (its own range of ephemeral ports). */
  localAddress: string;
}

/** Parent → generator. */
export type GeneratorCommand =
  | { t: 'measure'; first: number; count: number }
  | { t: 'waitFor'; seq: number; timeoutMs: number }
  | { t: 'collect'; commits: number[] }
  | { t: 'stop' };

/** Generator → parent. */
export type GeneratorReply =
  | { t: 'connected'; ok: number; failed: number; firstError?: string }
  | { t: 'reached'; behind: number }
  | {
      t: 'result';
      /** Clients that got every measured event exactly once, in order. */
      complete: number;
      /** Fewest and most measured events one client got. */
      minDelivered: number;
      maxDelivered: number;
      /** Clients that saw an id twice, out of order, or skipped one. */
      disordered: number;
      /** Commit-to-client milliseconds of every (client, event), as a base64 Float32Array. */
      latencies: string;
      /** CPU used since `measure`. */
      cpuMs: number;
    };

/**
 * Spawns `node --import tsx <file>` with an IPC channel and the soft descriptor limit raised to the
 * hard one (10,000 sockets need more than the usual 1,024).
 */
export function spawnChild(file: string, args: string[], nodeFlags: string[] = [], env: Record<string, string> = {}): ChildProcess {
  const script = fileURLToPath(new URL(file, import.meta.url));
  return spawn(
    '/bin/sh',
    ['-c', 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$0" "$@"', process.execPath, '--import', 'tsx', ...nodeFlags, script, ...args],
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: { ...process.env, ...env } },
  );
}

/** The next message of `kind` from a child (rejects if it exits first). */
export function nextMessage<T extends { t: string }>(child: ChildProcess, kind: T['t']): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: T) => {
      if (m.t !== kind) return;
      cleanup();
      resolve(m);
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`child exited (${code}) before sending "${kind}"`));
    };
    const cleanup = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

/** The event every server sends: a `target_call` of about 200 bytes on the wire, as TornCat writes it. */
export function benchEvent(i: number): TargetCallData {
  const targetId = 3001 + (i % 25);
  const at = 1_764_120_000 + i;
  return {
    warId: 5001,
    targetId,
    targetName: `Rival${targetId}`,
    callerId: 2001 + (i % 25),
    callerName: `Member${2001 + (i % 25)}`,
    state: i % 2 === 0 ? ('called' as const) : ('released' as const),
    at,
    expiresAt: at + 900,
    waitingForExit: false,
  };
}

// A server under test is its peer process and every process it started (node:cluster workers): its
// CPU and memory are theirs summed, read from /proc so that a worker whose code is not the bench's
// is counted the same way; garbage collection and CPU profiles go through each one's probe.

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';

/**
 * This process and those of its descendants that are the server's (they have a probe in `dir`: not
 * the esbuild service tsx may start, say), parents first.
 */
export function serverPids(dir: string, root = process.pid): number[] {
  const pids = [root];
  for (let k = 0; k < pids.length; k++) {
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${pids[k]}/task`);
    } catch {
      continue;
    }
    for (const task of tasks) {
      try {
        for (const child of readFileSync(`/proc/${pids[k]}/task/${task}/children`, 'utf8').split(' '))
          if (child.trim()) pids.push(Number(child));
      } catch {}
    }
  }
  return pids.filter((pid) => pid === root || existsSync(`${dir}/${pid}.sock`));
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

/**
 * CPU milliseconds used so far by `pid`: total (nanosecond schedstat of each of its threads, V8's
 * and libuv's included) and user (clock ticks, the whole thread group).
 */
function processCpu(pid: number): { cpuMs: number; userMs: number } {
  try {
    let total = 0;
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      try {
        total += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
      } catch {}
    }
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The fields after the command name (which may hold spaces) in parentheses: utime is the 14th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { cpuMs: total, userMs: Number(fields[11]) * TICK_MS };
  } catch {
    return { cpuMs: 0, userMs: 0 };
  }
}

/** The server's CPU so far, every process summed. */
export function serverCpu(pids: number[]): { cpuMs: number; userMs: number } {
  let cpuMs = 0;
  let userMs = 0;
  for (const pid of pids) {
    const c = processCpu(pid);
    cpuMs += c.cpuMs;
    userMs += c.userMs;
  }
  return { cpuMs, userMs };
}

/** Sends one command to the probe of `pid` (bench/fanout/probe.ts) and resolves with its reply. */
export function askProbe(dir: string, pid: number, m: { t: 'gc' | 'profile'; file?: string }): Promise<{ rss?: number; error?: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(`${dir}/${pid}.sock`);
    let text = '';
    socket.on('connect', () => socket.write(JSON.stringify(m) + '\n'));
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.on('end', () => {
      try {
        resolve(JSON.parse(text));
      } catch (e) {
        reject(e);
      }
    });
    socket.on('error', reject);
  });
}

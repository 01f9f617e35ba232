// Where a server process spent its CPU: self time by function from a V8 .cpuprofile (--cpu-prof),
// the heaviest first, so the README can say what the remaining cost is.

import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/**
 * The `top` functions by self time, with their share of the busy (not idle) time, over the profiles
 * of every process of one server (a function's time in each summed).
 */
export function topSelfTime(files: string[], top = 12): { fn: string; share: number }[] {
  const self = new Map<string, number>();
  let total = 0;
  for (const file of files) total += addSelfTime(file, self);
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([fn, t]) => ({ fn, share: t / total }));
}

/** Adds the self time of each function of `file` to `self`; returns the busy time it added. */
function addSelfTime(file: string, self: Map<string, number>): number {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  // The profiler stopping itself (node:inspector and what it calls) is not the server's work.
  const profiler = new Set<number>();
  const mark = (id: number) => {
    profiler.add(id);
    for (const c of byId.get(id)?.children ?? []) mark(c);
  };
  for (const n of p.nodes) if (n.callFrame.url === 'node:inspector' && !profiler.has(n.id)) mark(n.id);
  let total = 0;
  p.samples.forEach((id, i) => {
    const dt = p.timeDeltas[i] ?? 0;
    const n = byId.get(id);
    if (!n || n.callFrame.functionName === '(idle)' || profiler.has(id)) return;
    const { functionName, url, lineNumber } = n.callFrame;
    const where = url ? `${url.replace(/^.*\/(node_modules\/|src\/|bench\/)/, '$1')}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'}${where ? ' ' + where : ''}`;
    self.set(key, (self.get(key) ?? 0) + dt);
    total += dt;
  });
  return total;
}

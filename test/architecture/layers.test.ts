// The folder layout is the architecture: this test fails when a file imports against it, when
// src/ has an import cycle, or when something is exported that nothing imports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cycles, partOf, readGraph } from './import-graph.js';

/**
 * Which parts each part may import (besides itself). Inner parts know nothing of outer ones: the
 * event log and hub know no HTTP and no war; the browser code knows only the wire types.
 */
const ALLOWED: Record<string, readonly string[]> = {
  protocol: [],
  errors: [],
  backoff: [],
  config: [],
  log: [],
  db: ['errors', 'backoff'],
  torn: ['errors', 'backoff', 'protocol'],
  realtime: ['db', 'errors', 'backoff', 'protocol'],
  metrics: ['errors', 'torn'],
  auth: ['db', 'errors', 'torn', 'protocol'],
  discord: ['db', 'errors', 'backoff', 'auth', 'protocol'],
  war: ['db', 'errors', 'realtime', 'auth', 'torn', 'protocol', 'discord'],
  sync: ['db', 'errors', 'backoff', 'realtime', 'auth', 'torn', 'war', 'protocol'],
  client: ['protocol', 'backoff'],
  simulator: ['errors', 'torn', 'protocol', 'backoff'],
  server: ['db', 'errors', 'backoff', 'config', 'log', 'realtime', 'metrics', 'auth', 'war', 'sync', 'torn', 'protocol', 'discord'],
  // The primary and its workers: a worker is a whole server; the primary runs none of it.
  cluster: ['server', 'db', 'errors', 'backoff', 'config', 'metrics', 'auth'],
  demo: ['server', 'simulator', 'config', 'log', 'errors', 'db', 'torn', 'protocol', 'backoff'],
  cli: ['server', 'cluster', 'simulator', 'demo', 'config', 'log', 'errors', 'db', 'auth'],
};

const graph = readGraph();

test('every src/ file imports only the parts its own part may use', () => {
  const wrong: string[] = [];
  for (const m of graph.values()) {
    if (!m.file.startsWith('src/')) continue;
    const from = partOf(m.file);
    const allowed = ALLOWED[from];
    assert.ok(allowed, `${m.file}: part "${from}" is not in the layering table: add it, with what it may import`);
    for (const imp of m.imports) {
      if (!imp.target.startsWith('src/')) {
        wrong.push(`${m.file} imports ${imp.target}, outside src/`);
        continue;
      }
      const to = partOf(imp.target);
      if (to !== from && !allowed.includes(to)) wrong.push(`${m.file} (${from}) imports ${imp.target} (${to})`);
    }
  }
  assert.deepEqual(wrong, []);
});

test('src/ has no import cycle, between files or between parts', () => {
  const found = cycles(graph);
  const edges = new Map<string, Set<string>>();
  for (const m of graph.values()) {
    if (!m.file.startsWith('src/')) continue;
    for (const imp of m.imports) {
      if (!imp.target.startsWith('src/') || partOf(imp.target) === partOf(m.file)) continue;
      let to = edges.get(partOf(m.file));
      if (!to) edges.set(partOf(m.file), (to = new Set()));
      to.add(partOf(imp.target));
    }
  }
  for (const [a, tos] of edges) for (const b of tos) if (a < b && edges.get(b)?.has(a)) found.push([`part ${a}`, `part ${b}`, `part ${a}`]);
  console.log(found.length ? found.map((c) => c.join(' > ')).join('\n') : 'no circular dependency found in src/');
  assert.deepEqual(found, []);
});

/** Modules others load by path, not by import: the CLI, the browser entry points. */
const ENTRIES = [/^src\/cli\.ts$/, /^src\/client\/[^/]+\/main\.ts$/, /^src\/client\/dashboard\/.*\.ts$/];

// Exported types are left alone: a function's option and result types belong to its signature.
test('every exported function, class and constant of src/ is imported somewhere (src/, test/ or bench/)', () => {
  const used = new Map<string, Set<string>>();
  for (const m of graph.values()) {
    for (const imp of m.imports) {
      let names = used.get(imp.target);
      if (!names) used.set(imp.target, (names = new Set()));
      for (const n of imp.names) names.add(n);
    }
  }
  const unused: string[] = [];
  for (const m of graph.values()) {
    if (!m.file.startsWith('src/') || ENTRIES.some((e) => e.test(m.file))) continue;
    const names = used.get(m.file) ?? new Set();
    if (names.has('*')) continue;
    for (const e of m.exports) if (!e.type && !names.has(e.name)) unused.push(`${m.file}: ${e.name}`);
  }
  assert.deepEqual(unused, []);
});

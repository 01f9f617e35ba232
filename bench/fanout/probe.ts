// Loaded with --import into every server process of the fan-out bench, and so into the workers a
// server forks (node:cluster gives them the parent's flags and environment): it lets the peer collect
// the garbage and record a CPU profile in a process whose code is not the bench's (TornCat's own
// workers), over a Unix socket named after the process (<FANOUT_PROBE_DIR>/<pid>.sock). One JSON
// line in, one out: {"t":"gc"} → {"rss":…}, {"t":"profile"} starts the profiler, {"t":"profile","file":…}
// stops it and writes the profile there.

import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createServer } from 'node:net';

const dir = process.env.FANOUT_PROBE_DIR;
let profiler: Session | undefined;

async function answer(m: { t: string; file?: string }): Promise<object> {
  if (m.t === 'gc') {
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    gc?.();
    await new Promise((r) => setTimeout(r, 200));
    return { rss: process.memoryUsage().rss };
  }
  if (m.t === 'profile' && !m.file) {
    profiler = new Session();
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
    return {};
  }
  if (m.t === 'profile' && profiler) {
    const { profile } = await profiler.post('Profiler.stop');
    writeFileSync(m.file!, JSON.stringify(profile));
    profiler.disconnect();
    profiler = undefined;
  }
  return {};
}

if (dir) {
  const server = createServer((socket) => {
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk.toString();
      const end = text.indexOf('\n');
      if (end < 0) return;
      answer(JSON.parse(text.slice(0, end))).then(
        (reply) => socket.end(JSON.stringify(reply) + '\n'),
        (e: unknown) => socket.end(JSON.stringify({ error: String(e) }) + '\n'),
      );
    });
    socket.on('error', () => socket.destroy());
  });
  server.listen(`${dir}/${process.pid}.sock`);
  // The probe must never keep a process alive that would otherwise exit.
  server.unref();
}

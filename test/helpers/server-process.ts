import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** One pino line of the server's stdout. */
export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/**
 * `torncat serve` in a process of its own, as it runs in production: an uncaught exception or an
 * unhandled rejection ends it as it would end the real server, where inside the test process the
 * test runner would catch it. Its log lines are parsed and kept.
 */
export interface ServerProcess {
  url: string;
  /** The process's id (under WORKERS: the primary's). */
  readonly pid: number;
  readonly logs: LogLine[];
  /** Everything it wrote to stderr (a crash's stack trace lands here). */
  readonly stderr: string;
  /** Set once the process has exited, with how. */
  readonly exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** Log lines at `error` (50) or above. */
  errors(): LogLine[];
  /** SIGTERM (or the signal given), then waits for the exit (the server's own shutdown takes at most 10 s). */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** SIGKILL, as the kernel's OOM killer or a pulled plug would end it: no shutdown at all. */
  kill(): Promise<void>;
}

export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], {
    cwd: ROOT,
    // One process unless the test asks for workers (test/cluster/ does): the suites measure one node's behaviour.
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', WORKERS: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: LogLine[] = [];
  let stderr = '';
  let exit: ServerProcess['exit'];
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve();
    }),
  );
  let pending = '';
  let onLine: ((line: LogLine) => void) | undefined;
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    let i: number;
    while ((i = pending.indexOf('\n')) >= 0) {
      const text = pending.slice(0, i);
      pending = pending.slice(i + 1);
      try {
        const line = JSON.parse(text) as LogLine;
        logs.push(line);
        onLine?.(line);
      } catch {
        stderr += text + '\n';
      }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start within 90 s:\n${stderr}`)), 90_000);
    onLine = (line) => {
      const m = /listening on (http:\/\/\S+)/.exec(line.msg);
      if (!m) return;
      clearTimeout(timer);
      resolve(m[1]);
    };
    void exited.then(() => {
      clearTimeout(timer);
      // A start-up failure is logged (fatal) on stdout: show it with whatever reached stderr.
      const last = logs.slice(-3).map((l) => JSON.stringify(l));
      reject(new Error(`the server exited before listening (${JSON.stringify(exit)}):\n${[...last, stderr].join('\n')}`));
    });
  });
  onLine = undefined;

  return {
    url,
    pid: child.pid!,
    logs,
    get stderr() {
      return stderr;
    },
    get exit() {
      return exit;
    },
    errors: () => logs.filter((l) => l.level >= 50),
    async stop(signal = 'SIGTERM') {
      if (exit) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
    async kill() {
      if (exit) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Running, not a zombie waiting for a reaper. */
export function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

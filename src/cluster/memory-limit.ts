import { readFileSync } from 'node:fs';
import { totalmem } from 'node:os';

/**
 * The memory this process may use, in bytes: its cgroup's limit (a container's, such as Render's
 * 512 MB), else the machine's. Node's `constrainedMemory()` would say the same but is experimental in
 * Node 20.
 */
export function usableMemory(): number {
  const limit = read('/sys/fs/cgroup/memory.max') ?? read('/sys/fs/cgroup/memory/memory.limit_in_bytes');
  const bytes = Number(limit);
  // "max" (v2) or a huge number (v1's "no limit") leave the machine's memory as the bound.
  return bytes > 0 && bytes < totalmem() ? bytes : totalmem();
}

function read(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}

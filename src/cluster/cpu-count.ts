import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/**
 * The CPUs this process may use: the cores it may run on (os.availableParallelism()), fewer when a
 * cgroup quota says so. A container sees every core of its host but may be granted a share of one
 * (Render's instance types: 0.5 CPU for Starter, 1 for Standard, 2 for Pro): one worker per visible
 * core there would be many processes sharing half a CPU and 512 MB. Whole CPUs only, at least one.
 */
export function usableCpus(): number {
  const cores = availableParallelism();
  const quota = cgroupCpuQuota();
  return quota === undefined ? cores : Math.max(1, Math.min(cores, Math.floor(quota)));
}

/** CPUs the cgroup grants (quota over period), or undefined when unlimited or unknown (not Linux). */
function cgroupCpuQuota(): number | undefined {
  // cgroup v2: "max 100000" or "50000 100000".
  const v2 = read('/sys/fs/cgroup/cpu.max')?.split(/\s+/);
  if (v2) return v2[0] === 'max' ? undefined : ratio(v2[0], v2[1]);
  // cgroup v1: a quota of -1 is none.
  const quota = read('/sys/fs/cgroup/cpu/cpu.cfs_quota_us');
  if (quota === undefined || quota === '-1') return undefined;
  return ratio(quota, read('/sys/fs/cgroup/cpu/cpu.cfs_period_us'));
}

function ratio(quota: string | undefined, period: string | undefined): number | undefined {
  const q = Number(quota);
  const p = Number(period);
  return q > 0 && p > 0 ? q / p : undefined;
}

function read(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}

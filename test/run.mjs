// Runs every *.test.ts under test/ with Node's own test runner (Node 20 does not glob .ts files itself).
// Extra arguments filter files by substring: `npm test -- realtime`. With none, the suites that take
// minutes of their own are left out: test/faults/ (`npm run test:faults`) and test/scale/
// (`npm run test:only -- test/scale/`).
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const filters = process.argv.slice(2);
const files = readdirSync(join(root, 'test'), { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => join('test', f))
  .filter((f) => (filters.length === 0 ? !/^test[\\/](faults|scale)[\\/]/.test(f) : filters.some((s) => f.includes(s))))
  .sort();
if (files.length === 0) {
  console.error(`no test file matches ${filters.join(' ')}`);
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-timeout=120000', ...files], {
  cwd: root,
  stdio: 'inherit',
});
console.log(`ran ${files.length} test files: ${files.map((f) => relative('test', f)).join(', ')}`);
process.exit(r.status ?? 1);

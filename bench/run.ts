// `npm run bench`: TornCat's benchmarks, one section each. Extend by adding a section below.
import { benchTornRequests, formatTornRequests } from './torn-requests.js';

async function main(): Promise<void> {
  const started = Date.now();
  console.log('## Torn API requests per war-hour: one poller per war vs every member polling\n');
  const rows = await benchTornRequests();
  console.log(formatTornRequests(rows));
  console.log(
    '\nTornCat: the seed intervals (enemy 5 s, war 60 s, own faction 30 s) run 50× faster, counted by the simulator\n' +
      'over 3 war-minutes. Old design: every member polls enemy 1 s, own faction 5 s, war 30 s with their own key,\n' +
      'run 10× faster. The scenario faction has 25 members: 100 legacy clients share its 25 keys, and TornCat\n' +
      'runs with the 25 (its count does not depend on members). Busiest key: most requests one member key served\n' +
      'in a war-minute (budget 20; Torn allows 100 per player across all their tools).',
  );
  console.log(`\n(${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);

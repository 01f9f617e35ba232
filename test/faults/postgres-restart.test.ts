import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createPgDatabase } from '../helpers/databases.js';
import { privatePostgresUnavailable, startPrivatePostgres, type PrivatePostgres } from '../helpers/private-postgres.js';
import { assertOutageAnswers, drillRounds, startDrill, type Drill } from '../helpers/outage-drill.js';

const RESTARTS = 10;

// Restarting the shared server at 127.0.0.1:5432 would break every other suite running against it:
// this one starts a PostgreSQL of its own.
const unavailable = await privatePostgresUnavailable();
if (unavailable) test('PostgreSQL restarts', (t) => t.skip(`${unavailable} (CI=true makes this a failure)`));
else {
  describe('a server whose PostgreSQL restarts again and again', () => {
    let postgres: PrivatePostgres;
    let databaseUrl: string;
    let d: Drill;

    before(async () => {
      postgres = await startPrivatePostgres();
      databaseUrl = (await createPgDatabase(postgres.adminUrl)).url;
      d = await startDrill(databaseUrl);
    });
    after(async () => {
      await d?.close();
      await postgres?.close();
    });

    test(`${RESTARTS} restarts with streams open and calls going on: the process lives, answers 503 while the database is away, and every event reaches every stream once`, async () => {
      const report = await drillRounds(d, RESTARTS, async (i) => {
        // Even rounds restart under load (`pg_ctlcluster … restart`: the crash); odd ones
        // keep the server down long enough to check the answers; two are crashes, not shutdowns.
        const mode = i === RESTARTS - 1 || i === RESTARTS - 2 ? 'immediate' : 'fast';
        if (i % 2 === 0) {
          await postgres.restart(mode);
        } else {
          await postgres.stop(mode);
          await assertOutageAnswers(d);
          await postgres.start();
        }
      });
      const { statuses } = report.writer;
      assert.ok((statuses.get(503) ?? 0) > 0, `some calls met the outage: ${JSON.stringify([...statuses])}`);
      console.log(`${RESTARTS} restarts, 0 crashes; ${report.summary}`);
    });
  });
}

import type { HttpBindings } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { AppError } from '../../errors.js';
import { readWarReport } from '../../war/report.js';
import { reportCsv } from '../../war/report-csv.js';
import type { AppContext } from '../app-context.js';
import type { MemberVariables } from './war-routes.js';

type Env = { Bindings: HttpBindings; Variables: MemberVariables };

const FORMATS = ['json', 'csv'] as const;
type Format = (typeof FORMATS)[number];

/**
 * `GET /wars/:id/report`: the war report, for the member's own faction's wars only. `member` is set
 * by the auth middleware (the token in the Authorization header). `?format=csv` or `/report.csv`
 * downloads it as CSV, `?format=json` or `/report.json` as a JSON file.
 */
export function reportRoutes(ctx: AppContext): Hono<Env> {
  const app = new Hono<Env>();

  async function answer(c: Context<Env>, download: Format | null) {
    const raw = c.req.param('id') ?? '';
    if (!/^\d{1,10}$/.test(raw) || Number(raw) < 1 || Number(raw) > 2_147_483_647) {
      throw new AppError(
        'invalid_request',
        `The war id must be a Torn ranked war id (a positive integer), got ${JSON.stringify(raw.slice(0, 30))}`,
      );
    }
    const asked = c.req.query('format');
    if (asked !== undefined && !(FORMATS as readonly string[]).includes(asked)) {
      throw new AppError('invalid_request', `format must be one of ${FORMATS.join(', ')}, got ${JSON.stringify(asked.slice(0, 30))}`);
    }
    const format = download ?? (asked as Format | undefined) ?? null;
    const member = c.get('member');
    const report = await readWarReport(ctx.db, ctx.clock, member.factionId, Number(raw));
    // Another faction's war is answered as one that does not exist: it says nothing about it.
    if (!report) throw new AppError('not_found', `Your faction has no war ${raw} (a report is only for your own faction's wars)`);
    c.header('Cache-Control', 'no-store');
    if (format === null) return c.json(report);
    c.header('Content-Disposition', `attachment; filename="torncat-war-${report.warId}-report.${format}"`);
    if (format === 'json') return c.json(report);
    c.header('Content-Type', 'text/csv; charset=utf-8; header=present');
    return c.body(reportCsv(report));
  }

  app.get('/wars/:id/report', (c) => answer(c, null));
  app.get('/wars/:id/report.csv', (c) => answer(c, 'csv'));
  app.get('/wars/:id/report.json', (c) => answer(c, 'json'));

  return app;
}

import { sqlState } from './database.js';
import { isDatabaseUnavailable } from './unavailable.js';

/** The driver's own error under TornCat's wrapping (`cause`) or an AggregateError (a host with several addresses). */
function innermost(e: unknown, depth = 0): { code?: unknown; message?: unknown } {
  if (depth > 5 || e === null || typeof e !== 'object') return { message: String(e) };
  const { cause, errors } = e as { cause?: unknown; errors?: unknown };
  if (Array.isArray(errors) && errors.length) return innermost(errors[0], depth + 1);
  if (cause !== undefined) return innermost(cause, depth + 1);
  return e as { code?: unknown; message?: unknown };
}

/**
 * One line for an operator whose DATABASE_URL cannot be opened at start: which server (never the
 * password), what went wrong, what to check. Null when the failure is not about reaching or entering
 * the database (a bug, a migration), which keeps its own report.
 */
export function describeConnectionFailure(databaseUrl: string, e: unknown): string | null {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    return null;
  }
  const where = `${url.hostname || 'localhost'}:${url.port || '5432'}`;
  const database = decodeURIComponent(url.pathname.slice(1)) || decodeURIComponent(url.username) || 'postgres';
  const driver = innermost(e);
  const code = typeof driver.code === 'string' ? driver.code : undefined;
  const reason = `${code ? `${code}: ` : ''}${String(driver.message)}`;
  const state = sqlState({ code });
  if (state === '28P01' || state === '28000')
    return `the database server at ${where} refused user "${decodeURIComponent(url.username)}" (${reason}): check the user and password in DATABASE_URL`;
  if (state === '3D000')
    return `the database "${database}" does not exist on ${where} (${reason}): create it, or correct the database name at the end of DATABASE_URL`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return `the database host ${url.hostname} cannot be found (${reason}): check the host name in DATABASE_URL and this machine's DNS`;
  if (isDatabaseUnavailable(e))
    return `cannot reach the database at ${where} (${reason}): check that PostgreSQL runs there and accepts connections from this machine (firewall, listen_addresses), and the host and port in DATABASE_URL`;
  return null;
}

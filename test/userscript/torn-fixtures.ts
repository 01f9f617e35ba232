import { readFileSync } from 'node:fs';
import { TORN_CSP } from './torn-page.js';
import { serveTornOrigin, type TornOrigin } from './torn-origin.js';

/** A member as a fixture page lists them. */
export interface FixtureMember {
  id: number;
  name: string;
  level: number;
  status: string;
}

/** The fixtures' war page: Torn's ranked-war list. */
export const WAR_PAGE = '/factions.php?step=your#/war/rank';

/** The war snapshot's targets (`/api/war`) as the enemy rows of the war page. */
export function fixtureMembers(targets: { id: number; name: string; level: number; status: { state: string } }[]): FixtureMember[] {
  return targets.map((t) => ({ id: t.id, name: t.name, level: t.level, status: t.status.state }));
}

const FILES = new URL('./torn-fixtures/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, FILES), 'utf8');

/**
 * A fixture page laid in Torn's chrome (layout.html: the header bar and the content column): the page
 * file's <title> and the rest of its head, what it draws into #react-root (its <react-root> element's
 * content), and what follows (its scripts).
 */
function page(name: string): string {
  const file = read(name);
  const title = /<title>(.*)<\/title>\n/.exec(file);
  const root = /<react-root>\n([\s\S]*)<\/react-root>\n/.exec(file);
  if (!title || !root) throw new Error(`${name}: a fixture page needs a <title> and a <react-root>`);
  const head = file.slice(0, root.index).replace(title[0], '');
  const slots: Record<string, string> = { TITLE: title[1], HEAD: head, ROOT: root[1], SCRIPTS: file.slice(root.index + root[0].length) };
  return read('layout.html').replace(/\{\{(TITLE|HEAD|ROOT|SCRIPTS)\}\}/g, (_, slot: string) => slots[slot]);
}

/**
 * torn.com's war, attack and profile pages as fixtures (test/userscript/torn-fixtures/*.html, laid in layout.html), served
 * from their own origin (http://localhost:<port>, TornCat being on 127.0.0.1) under torn.com's kind of
 * CSP (`connect-src 'self'`): /factions.php, the attack page at /page.php?sid=attack&user2ID=… (Torn's URL
 * since April 2026) and at /loader.php?sid=attack&user2ID=… (the old one), /profiles.php?XID=…, /index.php.
 * The war page's member lists are the `enemy` and `your` members given here.
 */
export function startTornFixtures(members: { enemy: FixtureMember[]; your: FixtureMember[] }): Promise<TornOrigin> {
  const data = JSON.stringify(members).replace(/</g, '\\u003c');
  return serveTornOrigin((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    let html: string | null = null;
    if (url.pathname === '/factions.php') html = page('war.html').replace(/\/\*MEMBERS\*\/\s*null/, data);
    else if ((url.pathname === '/page.php' || url.pathname === '/loader.php') && url.searchParams.get('sid') === 'attack') {
      html = page('attack.html');
    } else if (url.pathname === '/profiles.php') html = page('plain.html').replaceAll('{{PAGE}}', 'Profile');
    else if (url.pathname === '/index.php') html = page('plain.html').replaceAll('{{PAGE}}', 'Home');
    if (html === null) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': TORN_CSP });
    res.end(html);
  });
}

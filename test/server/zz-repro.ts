import { connect } from 'node:net';
import { backends } from '../helpers/databases.js';
import { startWarFixture } from '../helpers/war-fixture.js';
const [pglite] = (await backends()).filter((b) => b.name === 'pglite');
const f = await startWarFixture(pglite, {});
const token = await f.signIn(2001);
const variant = process.argv[2];
const reqs: Record<string, string> = {
  'notfound-junk': `GET /nope HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\njunkjunk`,
  'notfound': `GET /nope HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n`,
  'unauth-junk': `GET /ws?token=junkjunkjunkjunkjunkjunk HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\njunk`,
  'events': `GET /events HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n`,
  'forbidden': `GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nOrigin: null\r\n\r\n`,
  'valid-reset': `GET /ws?token=${token} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
};
const s = connect(f.server.port, '127.0.0.1');
s.on('error', () => {});
s.on('data', (d) => console.log('got', JSON.stringify(d.toString().slice(0, 80))));
await new Promise((r) => s.once('connect', r));
s.write(reqs[variant]);
if (process.argv[4]) { await new Promise((r) => setTimeout(r, 20)); s.write(process.argv[4]); }
await new Promise((r) => setTimeout(r, 200));
if (process.argv[3] === 'reset') s.resetAndDestroy(); else s.destroy();
await new Promise((r) => setTimeout(r, 200));
const t = Date.now();
const closed = await Promise.race([f.close().then(() => 'closed'), new Promise((r) => setTimeout(() => r('HUNG'), 8000))]);
console.log(variant, process.argv[3] ?? 'destroy', JSON.stringify(process.argv[4] ?? ''), closed, Date.now() - t, 'ms');
process.exit(0);

import { connect, Socket } from 'node:net';
import { backends } from '../helpers/databases.js';
import { startWarFixture } from '../helpers/war-fixture.js';
const [pglite] = (await backends()).filter((b) => b.name === 'pglite');
const f = await startWarFixture(pglite, {});
const port = f.server.port;
const serverSockets = () => (process as any)._getActiveHandles().filter((h: any) => h instanceof Socket && !h.destroyed && h.localPort === port);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function tryIt(name: string, first: string, second: string, gapMs: number) {
  const s = connect(port, '127.0.0.1');
  s.on('error', () => {});
  let got = '';
  s.on('data', (d) => (got += d));
  await new Promise((r) => s.once('connect', r));
  s.write(first);
  if (gapMs >= 0) await sleep(gapMs); 
  if (second) s.write(second);
  await sleep(50);
  s.destroy();
  let n = 0;
  for (let i = 0; i < 50; i++) { n = serverSockets().length; if (n === 0) break; await sleep(20); }
  console.log(name, 'gap', gapMs, JSON.stringify(got.split('\r\n')[0]), 'left:', n, serverSockets().map((x: any) => `buffered=${x.readableLength}`).join());
  for (const h of serverSockets()) h.destroy();
}
const up = (path: string, extra = '') => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n${extra}\r\n`;
for (const gap of [0, 5, 30]) {
  await tryIt('404 + late bytes', up('/nope'), 'x'.repeat(31), gap);
  await tryIt('404 chunked + late bytes', up('/nope', 'Transfer-Encoding: chunked\r\n'), '0\r\n\r\n' + 'x'.repeat(31), gap);
  await tryIt('404 content-length + late body', up('/nope', 'Content-Length: 31\r\n'), 'x'.repeat(31), gap);
  await tryIt('403 + late bytes', up('/ws', 'Origin: null\r\n'), 'x'.repeat(31), gap);
  await tryIt('401 + late bytes', up('/ws?token=junkjunkjunkjunkjunkjunk', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n'), 'x'.repeat(31), gap);
}
await f.close();

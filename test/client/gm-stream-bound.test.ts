import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TornCatApi } from '../../src/client/core/api.js';
import { gmHttp, type GmXhr } from '../../src/client/core/http/gm-http.js';
import { MAX_SSE_LINE_CHARS } from '../../src/client/core/sse-parser.js';
import { GmStreamTransport } from '../../src/client/core/transports/gm-stream-transport.js';
import type { WarEvent } from '../../src/protocol/events.js';

/**
 * A userscript manager whose GM_xmlhttpRequest grows `responseText` as a stream arrives (Violentmonkey's
 * way), serving `chunks` one per tick; `aborted` says whether the client gave up on it.
 */
function manager(chunks: string[]): { gm: GmXhr; aborted: () => boolean } {
  let aborted = false;
  const gm: GmXhr = (d) => {
    let text = '';
    let i = 0;
    const tick = () => {
      if (aborted) return;
      if (i === chunks.length) return d.onload?.({ status: 200, responseText: text, readyState: 4 });
      text += chunks[i++];
      d.onprogress?.({ status: 200, responseText: text, readyState: 3 });
      setImmediate(tick);
    };
    setImmediate(tick);
    return {
      abort() {
        aborted = true;
        d.onabort?.({ status: 0 });
      },
    };
  };
  return { gm, aborted: () => aborted };
}

test('a GM stream whose line passes the bound is dropped, with the events before it delivered', async () => {
  const event = 'id: 7\nevent: target_call\ndata: {"warId":1,"targetId":3002}\n\n';
  const piece = 'x'.repeat(64 * 1024);
  const chunks = ['retry: 3000\n\n', event, 'data: ', ...Array.from({ length: MAX_SSE_LINE_CHARS / piece.length + 2 }, () => piece)];
  const m = manager(chunks);
  const delivered: WarEvent[] = [];
  const server = 'http://127.0.0.1:9';
  const transport = new GmStreamTransport({
    api: new TornCatApi(server, gmHttp(m.gm), () => 'token'),
    server,
    token: () => 'token',
    lastSeq: () => 0,
    deliver: (events) => delivered.push(...events),
    snapshot: () => undefined,
    atWar: () => true,
    syncIntervalMs: 1000,
    warCheckIntervalMs: 1000,
  });
  let live = 0;
  const end = await transport.run(new AbortController().signal, () => live++);
  assert.equal(live, 1);
  assert.equal(end.live, true);
  assert.match(end.error ?? '', /longer than 1048576 characters/);
  assert.ok(m.aborted(), 'the request was aborted');
  assert.deepEqual(
    delivered.map((e) => [e.id, e.event]),
    [[7, 'target_call']],
  );
});

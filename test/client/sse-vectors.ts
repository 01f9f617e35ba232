/**
 * Other people's test vectors for a `text/event-stream` parser, each with the events an EventSource
 * dispatches for it (type, data, lastEventId) and the reconnection time it sets. Taken from:
 *
 * - WPT: web-platform-tests/wpt, eventsource/ (the format tests and eventsource-from-readable-stream),
 *   at the commits named beside each, read 2026-12-07. The served stream is what the test's URL asks
 *   of resources/message.php (@c436f1c6): `message` + `newline` (default "\n\n", "none": "") + "\n".
 *   An EventSource reconnects when a stream ends; only the first connection's events are kept here.
 * - EP: rexxars/eventsource-parser, test/parse.test.ts and test/fixtures.ts at 6519a0f7 (2026-08-20),
 *   the chunks of each fixture joined (their `encode({event: 'done', data: '✔'})` is
 *   "event: done\ndata: ✔\n\n").
 *
 * A leading U+FEFF stands for the byte-order mark as a manager that hands decoded text gives it.
 */
export interface SseVector {
  name: string;
  source: string;
  stream: string;
  events: { event?: string; data: string; lastEventId?: string }[];
  retry?: number;
}

const DONE = 'event: done\ndata: ✔\n\n';
const done = { event: 'done', data: '✔' };
const x2k = 'x'.repeat(2 * 1024);

export const SSE_VECTORS: SseVector[] = [
  // --- web-platform-tests ---
  {
    name: 'BOM',
    source: 'WPT eventsource/format-bom.js @65cfe0a7',
    stream: '\uFEFFdata:1\n\n\uFEFFdata:2\n\ndata:3\n\n\n',
    events: [{ data: '1' }, { data: '3' }],
  },
  {
    name: 'double BOM',
    source: 'WPT eventsource/format-bom-2.any.js @5f9fb0d9',
    stream: '\uFEFF\uFEFFdata:1\n\ndata:2\n\ndata:3\n\n\n',
    events: [{ data: '2' }, { data: '3' }],
  },
  {
    name: 'comment fest',
    source: 'WPT eventsource/format-comments.js @65cfe0a7',
    stream: `data:1\r:\0\n:\r\ndata:2\n:${x2k}\rdata:3\n:data:fail\r:${x2k}\ndata:4\n\n`,
    events: [{ data: '1\n2\n3\n4' }],
  },
  {
    name: 'data before the final empty line',
    source: 'WPT eventsource/format-data-before-final-empty-line.js @65cfe0a7',
    stream: 'retry:1000\ndata:test1\n\nid:test\ndata:test2\n',
    events: [{ data: 'test1', lastEventId: '' }],
    retry: 1000,
  },
  {
    name: 'data field parsing',
    source: 'WPT eventsource/format-field-data.js @65cfe0a7',
    stream: 'data:\n\ndata\ndata\n\ndata:test\n\n\n',
    events: [{ data: '' }, { data: '\n' }, { data: 'test' }],
  },
  {
    name: 'custom event name',
    source: 'WPT eventsource/format-field-event.htm @116d43a2',
    stream: 'event:test\ndata:x\n\ndata:x\n\n\n',
    events: [{ event: 'test', data: 'x' }, { data: 'x' }],
  },
  {
    name: 'empty event field',
    source: 'WPT eventsource/format-field-event-empty.htm @500d1c77',
    stream: 'event: \ndata:data\n\n\n',
    events: [{ data: 'data' }],
  },
  {
    name: 'Last-Event-ID',
    source: 'WPT eventsource/format-field-id.htm @96863b45 (resources/last-event-id.php)',
    stream: 'id: …\nretry: 200\ndata: hello\n\n',
    events: [{ data: 'hello', lastEventId: '…' }],
    retry: 200,
  },
  {
    name: 'field parsing',
    source: 'WPT eventsource/format-field-parsing (find_string id 68933889)',
    stream: 'data:\0\ndata:  2\rData:1\ndata\0:2\ndata:1\r\0data:4\nda-ta:3\rdata_5\ndata:3\rdata:\r\n data:32\ndata:4\n\n',
    events: [{ data: '\0\n 2\n1\n3\n\n4' }],
  },
  {
    name: 'retry field',
    source: 'WPT eventsource/format-field-retry.htm @30127dca',
    stream: 'retry:02000\ndata:x\n\n\n',
    events: [{ data: 'x' }],
    retry: 2000,
  },
  {
    name: 'retry field (bogus)',
    source: 'WPT eventsource/format-field-retry-bogus.htm @433f8fa3',
    stream: 'retry:2000\nretry:1000x\ndata:x\n\n\n',
    events: [{ data: 'x' }],
    retry: 2000,
  },
  {
    name: 'unknown fields and parsing fun',
    source: 'WPT eventsource/format-field-unknown (find_string id 669465737)',
    stream: 'data:test\n data\ndata\nfoobar:xxx\njustsometext\n:thisisacommentyay\ndata:test\n\n\n',
    events: [{ data: 'test\n\ntest' }],
  },
  {
    name: 'leading space',
    source: 'WPT eventsource/format-leading-space (find_string id 481293459)',
    stream: 'data:\ttest\rdata: \ndata:test\n\n\n',
    events: [{ data: '\ttest\n\ntest' }],
  },
  {
    name: 'newline fest',
    source: 'WPT eventsource/format-newlines (find_string id 292934430)',
    stream: 'data:test\r\ndata\ndata:test\r\n\r\n',
    events: [{ data: 'test\n\ntest' }],
  },
  {
    name: 'null character',
    source: 'WPT eventsource/format-null-character.html @500d1c77',
    stream: 'data:\0\n\n\n\n',
    events: [{ data: '\0' }],
  },
  {
    name: 'always UTF-8',
    source: 'WPT eventsource/format-utf-8.js @65cfe0a7',
    stream: 'data:ok…\n\n\n',
    events: [{ data: 'ok…' }],
  },
  {
    name: 'readable stream: multi-line data',
    source: 'WPT eventsource/eventsource-from-readable-stream.any.js @25bde953',
    stream: 'data: hello\ndata: world\n\n',
    events: [{ data: 'hello\nworld' }],
  },
  {
    name: 'readable stream: two messages',
    source: 'WPT eventsource/eventsource-from-readable-stream.any.js @25bde953',
    stream: 'data: first\n\ndata: second\n\n',
    events: [{ data: 'first' }, { data: 'second' }],
  },
  {
    name: 'readable stream: custom type',
    source: 'WPT eventsource/eventsource-from-readable-stream.any.js @25bde953',
    stream: 'event: custom\ndata: hello\n\n',
    events: [{ event: 'custom', data: 'hello' }],
  },
  {
    name: 'readable stream: comment',
    source: 'WPT eventsource/eventsource-from-readable-stream.any.js @25bde953',
    stream: ': this is a comment\ndata: hello\n\n',
    events: [{ data: 'hello' }],
  },
  {
    name: 'readable stream: id',
    source: 'WPT eventsource/eventsource-from-readable-stream.any.js @25bde953',
    stream: 'id: 42\ndata: hello\n\n',
    events: [{ data: 'hello', lastEventId: '42' }],
  },
  {
    name: 'readable stream: retry',
    source: 'WPT eventsource/eventsource-from-readable-stream.any.js @25bde953',
    stream: 'retry: 5000\ndata: hello\n\n',
    events: [{ data: 'hello' }],
    retry: 5000,
  },
  {
    name: 'readable stream: bogus retry',
    source: 'WPT eventsource/eventsource-from-readable-stream.any.js @25bde953',
    stream: 'retry: bogus\ndata: hello\n\n',
    events: [{ data: 'hello' }],
  },
  {
    name: 'readable stream: CR, LF and CRLF',
    source: 'WPT eventsource/eventsource-from-readable-stream.any.js @25bde953',
    stream: 'data: cr\r\rdata: lf\n\ndata: crlf\r\n\r\n',
    events: [{ data: 'cr' }, { data: 'lf' }, { data: 'crlf' }],
  },
  {
    name: 'readable stream: leading BOM',
    source: 'WPT eventsource/eventsource-from-readable-stream.any.js @25bde953',
    stream: '\uFEFFdata: hello\n\n',
    events: [{ data: 'hello' }],
  },
  {
    name: 'readable stream: lastEventId kept across events',
    source: 'WPT eventsource/eventsource-from-readable-stream.any.js @25bde953',
    stream: 'id: 42\ndata: first\n\ndata: after-reconnect\n\n',
    events: [
      { data: 'first', lastEventId: '42' },
      { data: 'after-reconnect', lastEventId: '42' },
    ],
  },
  // --- eventsource-parser ---
  {
    name: 'basic unnamed events',
    source: 'EP getBasicFixtureStream',
    stream: 'data: 0\n\ndata: 1\n\ndata: 2\n\ndata: 3\n\ndata: 4\n\n' + DONE,
    events: [{ data: '0' }, { data: '1' }, { data: '2' }, { data: '3' }, { data: '4' }, done],
  },
  {
    name: 'identified messages and retry',
    source: 'EP getIdentifiedFixtureStream(1337)',
    stream: 'id: 1337\nevent: tick\nretry: 50\ndata: 1337\n\nid: 1338\nevent: tick\nretry: 50\ndata: 1338\n\n',
    events: [
      { event: 'tick', data: '1337', lastEventId: '1337' },
      { event: 'tick', data: '1338', lastEventId: '1338' },
    ],
    retry: 50,
  },
  {
    name: 'heartbeat comments',
    source: 'EP getHeartbeatsFixtureStream',
    stream: ': ♥\ndata: A\n\n: ♥\ndata: B\n\n: ♥\ndata: C\n\n: ♥\ndata: D\n\n: ♥\ndata: E\n\n' + DONE,
    events: [{ data: 'A' }, { data: 'B' }, { data: 'C' }, { data: 'D' }, { data: 'E' }, done],
  },
  {
    name: 'multi-line data',
    source: 'EP getMultilineFixtureStream',
    stream: 'event: stock\ndata: YHOO\ndata: +2\ndata: 10\n\nevent: stock\ndata: GOOG\ndata: -8\ndata: 1881\n\n' + DONE,
    events: [{ event: 'stock', data: 'YHOO\n+2\n10' }, { event: 'stock', data: 'GOOG\n-8\n1881' }, done],
  },
  {
    name: 'multi-byte with empty lines',
    source: 'EP getMultibyteEmptyLineFixtureStream',
    stream: '\n\n\n\nid: 1\ndata: 我現在都看實況不玩遊戲\n\n' + DONE,
    events: [
      { data: '我現在都看實況不玩遊戲', lastEventId: '1' },
      { ...done, lastEventId: '1' },
    ],
  },
  {
    name: 'decoded U+FEFF in several places',
    source: 'EP getInvalidBomFixtureStream',
    stream: '\uFEFFdata: bomful 1\n\n\uFEFFdata: bomful 2\n\ndata: bomless 3\n\n' + DONE,
    events: [{ data: 'bomful 1' }, { data: 'bomless 3' }, done],
  },
  {
    name: 'carriage returns',
    source: 'EP getCarriageReturnFixtureStream',
    stream: 'data: dog\rdata: bark\r\rdata: cat\rdata: meow\r\r' + DONE,
    events: [{ data: 'dog\nbark' }, { data: 'cat\nmeow' }, done],
  },
  {
    name: 'line feeds',
    source: 'EP getLineFeedFixtureStream',
    stream: 'data: cow\ndata: moo\n\ndata: horse\ndata: neigh\n\n' + DONE,
    events: [{ data: 'cow\nmoo' }, { data: 'horse\nneigh' }, done],
  },
  {
    name: 'carriage returns and line feeds',
    source: 'EP getCarriageReturnLineFeedFixtureStream',
    stream: 'data: sheep\r\ndata: bleat\r\n\r\ndata: pig\r\ndata: oink\r\n\r\n' + DONE,
    events: [{ data: 'sheep\nbleat' }, { data: 'pig\noink' }, done],
  },
  {
    name: 'odd uses of comments',
    source: 'EP getCommentsFixtureStream (its 100 emoji comment shortened to 3)',
    stream:
      ': Hello\n\n' +
      ':'.repeat(300) +
      '\ndata: First\n\n: Первый: 第二\ndata: Second\n\n' +
      ': Moop \n'.repeat(10) +
      ': ثالث\ndata: Third\n\n:നാലാമത്തെ\ndata: Fourth\n\n: 😀 😃 😄 :\ndata: Fifth\n\n' +
      DONE,
    events: [{ data: 'First' }, { data: 'Second' }, { data: 'Third' }, { data: 'Fourth' }, { data: 'Fifth' }, done],
  },
  {
    name: 'mixed comments',
    source: 'EP getMixedCommentsFixtureStream',
    stream: `data:1\r\r:\0\n:\r\ndata:2\n\n:x${x2k}\rdata:3\n\n:data:fail\r:x${x2k}\ndata:4\n\ndata:5`,
    events: [{ data: '1' }, { data: '2' }, { data: '3' }, { data: '4' }],
  },
  {
    name: 'empty event field',
    source: 'EP getEmptyEventsFixtureStream',
    stream: 'event:\ndata: Hello 1\n\nevent:\n\n' + DONE,
    events: [{ data: 'Hello 1' }, done],
  },
  {
    name: 'empty retry field',
    source: 'EP getEmptyRetryFixtureStream(0, 1, 2)',
    stream: 'id: 1\nretry: 500\ndata: 🥌\n\nid:2\nretry:\ndata:🧹\n\nid: 3\ndata: ✅\n\n',
    events: [
      { data: '🥌', lastEventId: '1' },
      { data: '🧹', lastEventId: '2' },
      { data: '✅', lastEventId: '3' },
    ],
    retry: 500,
  },
  {
    name: 'oddly shaped data field',
    source: 'EP getDataFieldParsingFixtureStream',
    stream: 'data:\n\ndata\ndata\n\ndata:test\n\n' + DONE,
    events: [{ data: '' }, { data: '\n' }, { data: 'test' }, done],
  },
  {
    name: 'CR ending a chunk inside an event',
    source: 'EP test "stream with cr separating chunks of same event"',
    stream: 'data: A\r\ndata: B\r\ndata: C\r\n\n',
    events: [{ data: 'A\nB\nC' }],
  },
  {
    name: 'partly wrong retry fields',
    source: 'EP getInvalidRetryFixtureStream',
    stream: 'retry:1000\nretry:2000x\ndata:x\n\n',
    events: [{ data: 'x' }],
    retry: 1000,
  },
  {
    name: 'incorrect retry fields',
    source: 'EP test "stream with incorrect retry fields"',
    stream: '\nretry: 500\n\ndata: first\n\nretry: 50x\n\ndata: second\n\n',
    events: [{ data: 'first' }, { data: 'second' }],
    retry: 500,
  },
  {
    name: 'id with a NULL',
    source: 'EP test "stream with `id` field containing a NULL character"',
    stream: 'id: 123\nid: bad\0id\ndata: hello\n\n',
    events: [{ data: 'hello', lastEventId: '123' }],
  },
  {
    name: 'id without data',
    source: 'EP test "reports an `id` from a block without data" (data a and b added to show lastEventId)',
    stream: 'id: 42\n\nid: bad\0id\n\ndata: a\n\nid:\n\ndata: b\n\n',
    events: [
      { data: 'a', lastEventId: '42' },
      { data: 'b', lastEventId: '' },
    ],
  },
  {
    name: 'unknown fields',
    source: 'EP getUnknownFieldsFixtureStream',
    stream: 'data:abc\n data\ndata\nfoobar:xxx\njustsometext\n:thisisacommentyay\ndata:123\n\n' + DONE,
    events: [{ data: 'abc\n\n123' }, done],
  },
  {
    name: 'unterminated unknown field',
    source: 'EP test "maxBufferSize: discards unterminated unknown fields without buffering"',
    stream: 'unknown-field: this content is ignored even without a terminator\ndata: ok\n\n',
    events: [{ data: 'ok' }],
  },
  {
    name: 'invalid field that started like data',
    source: 'EP test "maxBufferSize: discards invalid lines as soon as their field name cannot become valid"',
    stream: 'datax: this started like data, but is not a valid field\ndata: ok\n\n',
    events: [{ data: 'ok' }],
  },
  {
    name: 'bare data field',
    source: 'EP test "maxBufferSize: preserves split valid fields while discarding invalid lines"',
    stream: 'data\n\n',
    events: [{ data: '' }],
  },
  {
    name: 'long comment',
    source: 'EP test "maxBufferSize: discards unterminated comments when no onComment callback exists"',
    stream: ':'.repeat(64) + 'this content is ignored even without a terminator\ndata: ok\n\n',
    events: [{ data: 'ok' }],
  },
  {
    name: 'comment ended by CRLF',
    source: 'EP test "discarded unterminated comments consume crlf as one line terminator"',
    stream: 'data: one\n:ignored\r\ndata: two\n\n',
    events: [{ data: 'one\ntwo' }],
  },
  {
    name: 'comment ended by a bare CR',
    source: 'EP test "discarded lines terminated by a bare cr resume parsing on the next chunk"',
    stream: 'data: one\n:ignored\rdata: two\n\n',
    events: [{ data: 'one\ntwo' }],
  },
  {
    name: 'bare field ended by CRLF',
    source: 'EP test "bare field lines terminated by a cr at a chunk boundary are processed"',
    stream: 'data: one\ndata\r\ndata: two\n\n',
    events: [{ data: 'one\n\ntwo' }],
  },
  {
    name: 'unknown field ended by a bare CR',
    source: 'EP test "unknown field lines completed by a cr at a chunk boundary"',
    stream: 'garbage\rdata: ok\n\n',
    events: [{ data: 'ok' }],
  },
  {
    name: 'blank CR line then LF',
    source: 'EP test "a blank cr line ending a chunk dispatches the pending event exactly once"',
    stream: 'data: one\r\r\n',
    events: [{ data: 'one' }],
  },
];

/**
 * The same vector with its line ends written as CR or as CRLF: the standard makes the three ends
 * equal, so the events do not change. Only for vectors written with LF alone (a CR in them would
 * change meaning); the CR form of a stream that ends in a blank line ends in a lone CR.
 */
export function lineEndVariants(v: SseVector): SseVector[] {
  if (v.stream.includes('\r') || !v.stream.includes('\n')) return [];
  return [
    { ...v, name: `${v.name} (CR line ends)`, stream: v.stream.replaceAll('\n', '\r') },
    { ...v, name: `${v.name} (CRLF line ends)`, stream: v.stream.replaceAll('\n', '\r\n') },
  ];
}

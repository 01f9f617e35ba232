/**
 * The war board's script (bundled into the page served at GET /): the client core over fetch and
 * localStorage on the server's own origin, climbing down from EventSource to long-poll when a proxy
 * on the way does not let a stream through.
 */
import { fetchHttp } from '../core/http/fetch-http.js';
import { localStore } from '../core/storage.js';
import { WarClient } from '../core/war-client.js';
import { Board } from './board.js';

const store = localStore();
const client = new WarClient({
  server: location.origin,
  http: fetchHttp(),
  store,
  rungs: ['eventsource', 'long-poll'],
  describe: (a) => `${a.player.name} [${a.player.id}] · ${a.faction.name}`,
});
client.start(new Board(client, store));

import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on loopback between a client and a server (the app and PostgreSQL), that a test can
 * use to cut the network: drop every connection at once, or refuse new ones, without touching the
 * server on the other side.
 */
export interface TcpProxy {
  readonly port: number;
  /** Connections open through the proxy now. */
  readonly connections: number;
  /** Destroys every open connection, both sides (the client sees a reset or an unexpected end). */
  dropAll(): void;
  /**
   * New connections fail: `refuse` stops listening (ECONNREFUSED); `reset` accepts and closes at
   * once (the client sees the connection end during its start-up). Open ones are dropped.
   */
  down(mode?: 'refuse' | 'reset'): Promise<void>;
  /** Connections go through again. */
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<[Socket, Socket]>();
  let resetting = false;

  const onConnection = (client: Socket) => {
    if (resetting) {
      client.destroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    // Either side failing or ending ends both, as a real network path would.
    for (const s of pair) {
      s.on('error', drop);
      s.on('close', drop);
    }
    client.pipe(upstream);
    upstream.pipe(client);
  };

  let server: Server = createServer(onConnection);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  let listening = true;

  const dropAll = () => {
    for (const [client, upstream] of [...pairs]) {
      // resetAndDestroy sends an RST where the platform allows it: the abrupt end of a cut network.
      client.resetAndDestroy();
      upstream.destroy();
    }
    pairs.clear();
  };

  return {
    port,
    get connections() {
      return pairs.size;
    },
    dropAll,
    async down(mode = 'refuse') {
      if (mode === 'reset') resetting = true;
      else if (listening) {
        listening = false;
        // close() waits for open connections to end: drop them first.
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        dropAll();
        await closed;
      }
      dropAll();
    },
    async up() {
      resetting = false;
      if (listening) return;
      // The same port again: the app's URL names it.
      server = createServer(onConnection);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', resolve);
      });
      listening = true;
    },
    async close() {
      resetting = true;
      const closed = listening ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
      listening = false;
      dropAll();
      await closed;
    },
  };
}

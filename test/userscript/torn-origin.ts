import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A stand-in for torn.com's origin, as the Torn pages are served: its address, and how to stop it. */
export interface TornOrigin {
  origin: string;
  close(): Promise<void>;
}

/**
 * Serves `handler` on loopback as http://localhost:<port>: TornCat being on 127.0.0.1, every request
 * from these pages to TornCat is cross-origin, as from torn.com.
 */
export async function serveTornOrigin(handler: RequestListener): Promise<TornOrigin> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `http://localhost:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

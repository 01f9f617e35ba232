// Puts the pieces on one HTTP server: /__sim/ for control, everything else is the Torn API.

import { type AddressInfo } from 'node:net';
import { type IncomingMessage, type Server } from 'node:http';
import { Hono } from 'hono';
import { createAdaptorServer } from '@hono/node-server';
import { controlRoutes } from './control-routes.js';
import { SimWorld } from './sim-world.js';
import { TornGateway } from './torn-gateway.js';

export function createSimulatorApp(world: SimWorld): { app: Hono; gateway: TornGateway } {
  const gateway = new TornGateway(world);
  const app = new Hono();
  app.route('/__sim', controlRoutes(gateway));
  // A mounted app's notFound is not consulted, and /__sim/ must never fall through to the Torn API.
  app.all('/__sim/*', (c) => c.json({ error: `no control endpoint ${c.req.method} ${c.req.path}` }, 404));
  // Browsers preflight the Authorization header; Torn allows any origin. Not an API call, so not counted.
  app.options(
    '*',
    () =>
      new Response(null, {
        status: 204,
        headers: {
          'access-control-allow-origin': '*',
          'access-control-allow-headers': 'Authorization, Content-Type',
          'access-control-allow-methods': 'GET',
        },
      }),
  );
  // The caller's address, for Torn's per-IP limit: the node server's socket (tests run on loopback).
  app.all('*', (c) => gateway.handle(c.req.raw, (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket.remoteAddress));
  return { app, gateway };
}

export interface RunningServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

export async function listen(app: Hono, port: number, host: string): Promise<RunningServer> {
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  // Closing twice (a test that stops the simulator early, then its fixture) is harmless.
  let closing: Promise<void> | undefined;
  return {
    server,
    port: bound,
    close: () =>
      (closing ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Keep-alive sockets from clients would hold close() open; the simulator owes them nothing.
        server.closeAllConnections();
      })),
  };
}

// A TCP relay between the proxy and its upstream that a test can cut or make lie, to play an upstream
// that drops or sends malformed messages.

import { connect, createServer, type Server, type Socket } from 'node:net';

export interface Relay {
  readonly port: number;
  /** Rewrites what the upstream sends before the proxy sees it. */
  transform: (chunk: Buffer) => Buffer;
  /** Drops every relayed connection, as a crashed server or a broken network would. */
  cut(): void;
  close(): Promise<void>;
}

export async function startRelay(host: string, port: number): Promise<Relay> {
  const pairs = new Set<[Socket, Socket]>();
  const relay: Relay = {
    port: 0,
    transform: (chunk) => chunk,
    cut: () => {
      for (const [a, b] of pairs) {
        a.destroy();
        b.destroy();
      }
      pairs.clear();
    },
    close: () => {
      relay.cut();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
  const server: Server = createServer((down) => {
    const up = connect({ host, port });
    const pair: [Socket, Socket] = [down, up];
    pairs.add(pair);
    down.on('data', (d: Buffer) => up.write(d));
    up.on('data', (d: Buffer) => down.write(relay.transform(d)));
    const end = (): void => {
      down.destroy();
      up.destroy();
      pairs.delete(pair);
    };
    down.on('close', end);
    up.on('close', end);
    down.on('error', end);
    up.on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  (relay as { port: number }).port = typeof address === 'object' && address !== null ? address.port : 0;
  return relay;
}

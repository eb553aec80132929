// node:http in front of the router: JSON bodies with a size limit, and an abort signal per request.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Router } from './router.js';

const MAX_BODY = 1024 * 1024;

export async function listen(
  router: Router,
  host: string,
  port: number,
): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const controller = new AbortController();
    res.on('close', () => controller.abort());
    void (async () => {
      let status = 500;
      let payload: unknown;
      let headers: Record<string, string> = {};
      try {
        const url = new URL(req.url ?? '/', 'http://localhost');
        const { body, raw } = await readJson(req);
        const response = await router.handle({
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers as Record<string, string | undefined>,
          body,
          rawBody: raw,
          ...(req.socket.remoteAddress ? { remoteAddress: req.socket.remoteAddress } : {}),
          signal: controller.signal,
        });
        ({ status } = response);
        payload = response.body;
        headers = response.headers ?? {};
      } catch (error) {
        status = 400;
        payload = {
          error: { code: 'BAD_INPUT', message: error instanceof Error ? error.message : 'bad request' },
        };
      }
      if (res.destroyed) return;
      if (typeof payload === 'string') {
        res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers });
        res.end(payload);
      } else {
        res.writeHead(status, {
          'content-type': 'application/json',
          'cache-control': 'no-store',
          ...headers,
        });
        res.end(JSON.stringify(payload));
      }
    })();
  });
  // Long-polls hold requests for up to a minute; keep Node's defaults from cutting them.
  server.requestTimeout = 0;
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return { server, url: `http://${shownHost}:${address.port}` };
}

async function readJson(req: IncomingMessage): Promise<{ body: unknown; raw: Buffer }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('guard: request body larger than 1 MiB');
    chunks.push(chunk as Buffer);
  }
  const raw = Buffer.concat(chunks);
  if (size === 0) return { body: undefined, raw };
  try {
    return { body: JSON.parse(raw.toString('utf8')) as unknown, raw };
  } catch {
    throw new Error('guard: request body is not valid JSON');
  }
}

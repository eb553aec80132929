// The node:http adapter: reads the body, records the call, dispatches through the router, writes the
// answer. Tracks sockets so close() ends keep-alive connections the clients leave open.
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Router } from './router.js';
import { restError } from './responses.js';

export interface RecordedRequest {
  method: string;
  /** Path with the query string, as sent. */
  path: string;
  headers: IncomingHttpHeaders;
  /** The body as text; binary bodies (blob uploads) are summarised as `<N bytes>`. */
  body: string;
  /** Status the stand-in answered with (set once answered). */
  status?: number;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export async function startHttpServer(router: Router, requests: RecordedRequest[]): Promise<RunningServer> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    handle(router, requests, req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: `stand-in failure: ${String(error)}` }));
      } else {
        res.destroy();
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('stand-in server has no TCP address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

async function handle(
  router: Router,
  requests: RecordedRequest[],
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const method = (req.method ?? 'GET').toUpperCase();
  const rawPath = req.url ?? '/';
  const url = new URL(rawPath, 'http://stand-in');
  const record: RecordedRequest = {
    method,
    path: rawPath,
    headers: req.headers,
    body: describeBody(req.headers, body),
  };
  requests.push(record);

  const match = router.match(method, url.pathname);
  const response =
    match.kind === 'found'
      ? await match.handler({
          method,
          path: url.pathname,
          url,
          params: match.params,
          query: url.searchParams,
          headers: req.headers,
          body,
        })
      : match.kind === 'method-not-allowed'
        ? {
            ...restError(404, 'Not Found'),
            headers: { 'content-type': 'application/json; charset=utf-8', allow: match.allowed.join(', ') },
          }
        : restError(404, 'Not Found');

  record.status = response.status;
  const payload =
    response.body === undefined
      ? undefined
      : typeof response.body === 'string' || Buffer.isBuffer(response.body)
        ? response.body
        : JSON.stringify(response.body);
  const headers: Record<string, string | number | string[]> = { ...(response.headers ?? {}) };
  if (payload !== undefined && !hasHeader(headers, 'content-length'))
    headers['content-length'] = Buffer.byteLength(payload);
  if (
    payload !== undefined &&
    typeof response.body === 'object' &&
    !Buffer.isBuffer(response.body) &&
    !hasHeader(headers, 'content-type')
  ) {
    headers['content-type'] = 'application/json; charset=utf-8';
  }
  res.writeHead(response.status, headers);
  res.end(method === 'HEAD' ? undefined : payload);
}

function hasHeader(headers: Record<string, unknown>, name: string): boolean {
  return Object.keys(headers).some((k) => k.toLowerCase() === name);
}

function describeBody(headers: IncomingHttpHeaders, body: Buffer): string {
  if (body.length === 0) return '';
  const type = String(headers['content-type'] ?? '');
  if (/json|xml|text|x-www-form-urlencoded/i.test(type)) return body.toString('utf8');
  return `<${body.length} bytes>`;
}

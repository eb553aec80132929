// The server's HTTP API as plain functions from a request to a response, with no node:http inside, so
// tests and other adapters call it directly.
import { GuardError, describeError } from '../../lib/errors.js';

export interface ApiRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | undefined>;
  body: unknown;
  /** The bytes as received (webhook signatures cover these, not a re-serialised body). */
  rawBody?: Buffer;
  /** The peer's address as the socket sees it (a proxy in front shows as itself). */
  remoteAddress?: string;
  /** Aborts when the client goes away (long-polls stop waiting). */
  signal: AbortSignal;
}

export interface ApiResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export type Handler = (request: ApiRequest, params: Record<string, string>) => Promise<ApiResponse>;

interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: Handler;
}

export class Router {
  readonly #routes: Route[] = [];

  add(method: string, path: string, handler: Handler): this {
    const keys: string[] = [];
    const pattern = new RegExp(
      '^' +
        path.replace(/:([a-zA-Z]+)/g, (_, key: string) => {
          keys.push(key);
          return '([^/]+)';
        }) +
        '$',
    );
    this.#routes.push({ method, pattern, keys, handler });
    return this;
  }

  async handle(request: ApiRequest): Promise<ApiResponse> {
    let pathMatched = false;
    for (const route of this.#routes) {
      const match = route.pattern.exec(request.path);
      if (!match) continue;
      pathMatched = true;
      if (route.method !== request.method) continue;
      const params = Object.fromEntries(
        route.keys.map((key, i) => [key, decodeURIComponent(match[i + 1] ?? '')]),
      );
      try {
        return await route.handler(request, params);
      } catch (error) {
        return errorResponse(error);
      }
    }
    return pathMatched
      ? {
          status: 405,
          body: {
            error: {
              code: 'BAD_INPUT',
              message: `guard: ${request.method} is not allowed on ${request.path}`,
            },
          },
        }
      : {
          status: 404,
          body: { error: { code: 'NOT_FOUND', message: `guard: no such endpoint ${request.path}` } },
        };
  }
}

/** Errors become `{ error: { code, message } }`; anything that is not a GuardError hides its detail. */
export function errorResponse(error: unknown): ApiResponse {
  if (error instanceof GuardError)
    return { status: error.status, body: { error: { code: error.code, message: error.message } } };
  console.error(`guard server: internal error: ${describeError(error)}`);
  return {
    status: 500,
    body: {
      error: { code: 'INTERNAL', message: 'guard server: internal error; the server log has the detail' },
    },
  };
}

// A small route table: `METHOD /path/:param/*rest` patterns mapped to handlers. Kept free of node:http so
// later work (check runs, comments, installation tokens, team membership...) adds a route with one call.
import type { IncomingHttpHeaders } from 'node:http';

export interface RouteRequest {
  method: string;
  /** Path without the query string, percent-decoded per segment by the matcher. */
  path: string;
  url: URL;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface RouteResponse {
  status: number;
  headers?: Record<string, string | number | string[]>;
  /** An object is sent as JSON; a string or Buffer as is. */
  body?: unknown;
}

export type RouteHandler = (request: RouteRequest) => RouteResponse | Promise<RouteResponse>;

interface Route {
  method: string;
  segments: string[];
  handler: RouteHandler;
}

export type RouteMatch =
  | { kind: 'found'; handler: RouteHandler; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allowed: string[] }
  | { kind: 'not-found' };

export class Router {
  readonly #routes: Route[] = [];

  /**
   * Adds a route. `pattern` segments: literal, `:name` (one segment) or `*name` (the rest of the path,
   * last only). Later routes win over earlier ones with the same shape, so a test can override a default.
   */
  add(method: string, pattern: string, handler: RouteHandler): void {
    if (!pattern.startsWith('/')) throw new TypeError(`route pattern must start with '/': ${pattern}`);
    const segments = pattern.split('/').slice(1);
    const rest = segments.findIndex((s) => s.startsWith('*'));
    if (rest !== -1 && rest !== segments.length - 1) {
      throw new TypeError(`'*' may only be the last segment of a route pattern: ${pattern}`);
    }
    this.#routes.unshift({ method: method.toUpperCase(), segments, handler });
  }

  match(method: string, path: string): RouteMatch {
    const parts = path.split('/').slice(1);
    const allowed = new Set<string>();
    for (const route of this.#routes) {
      const params = matchSegments(route.segments, parts);
      if (params === undefined) continue;
      if (
        route.method === method.toUpperCase() ||
        (method.toUpperCase() === 'HEAD' && route.method === 'GET')
      ) {
        return { kind: 'found', handler: route.handler, params };
      }
      allowed.add(route.method);
    }
    return allowed.size > 0 ? { kind: 'method-not-allowed', allowed: [...allowed] } : { kind: 'not-found' };
  }
}

function matchSegments(pattern: string[], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const segment = pattern[i] ?? '';
    if (segment.startsWith('*')) {
      const rest = parts.slice(i);
      if (rest.length === 0 || rest.join('') === '') return undefined;
      params[segment.slice(1)] = rest.map(decode).join('/');
      return params;
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    if (segment.startsWith(':')) {
      if (part === '') return undefined;
      params[segment.slice(1)] = decode(part);
    } else if (segment !== part) {
      return undefined;
    }
  }
  return parts.length === pattern.length ? params : undefined;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

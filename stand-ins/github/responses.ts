// Error and success bodies in the shapes each emulated service really answers with: GitHub REST's
// `{ message, documentation_url, status }`, Twirp's `{ code, msg }`, Azure Storage's XML `<Error>`.
import { randomUUID } from 'node:crypto';
import type { RouteResponse } from './router.js';

export function json(status: number, body: unknown, headers: Record<string, string> = {}): RouteResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}

/** GitHub REST error, e.g. `restError(404, 'Not Found')`. */
export function restError(
  status: number,
  message: string,
  documentationUrl = 'https://docs.github.com/rest',
): RouteResponse {
  return json(
    status,
    { message, documentation_url: documentationUrl, status: String(status) },
    restHeaders(),
  );
}

/** Headers GitHub's REST API puts on every answer (clients log the request id). */
export function restHeaders(): Record<string, string> {
  return {
    'x-github-request-id': randomUUID().replace(/-/g, '').slice(0, 20).toUpperCase(),
    'x-github-api-version-selected': '2022-11-28',
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': '4999',
    'x-ratelimit-used': '1',
    'x-ratelimit-resource': 'core',
    'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
  };
}

const TWIRP_STATUS = {
  invalid_argument: 400,
  malformed: 400,
  bad_route: 404,
  unauthenticated: 401,
  permission_denied: 403,
  not_found: 404,
  already_exists: 409,
  failed_precondition: 412,
  internal: 500,
} as const;

export type TwirpCode = keyof typeof TWIRP_STATUS;

export function twirpError(code: TwirpCode, msg: string): RouteResponse {
  return json(TWIRP_STATUS[code], { code, msg });
}

export function azureError(status: number, code: string, message: string): RouteResponse {
  const requestId = randomUUID();
  const body = `\uFEFF<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}\nRequestId:${requestId}\nTime:${new Date().toISOString()}</Message></Error>`;
  return {
    status,
    headers: {
      'content-type': 'application/xml',
      'x-ms-error-code': code,
      'x-ms-request-id': requestId,
      'x-ms-version': AZURE_VERSION,
    },
    body,
  };
}

/** The storage service version the stand-in answers as. */
export const AZURE_VERSION = '2026-04-06';

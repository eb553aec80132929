// REST request bodies as GitHub reads them: JSON objects; anything else is 400 "Problems parsing JSON".
import { restError } from '../github/index.js';
import type { RouteRequest, RouteResponse } from '../github/index.js';

export function jsonBody(request: RouteRequest): Record<string, unknown> | RouteResponse {
  if (request.body.length === 0) return {};
  try {
    const parsed = JSON.parse(request.body.toString('utf8')) as unknown;
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // fall through to GitHub's answer
  }
  return restError(400, 'Problems parsing JSON');
}

export function isRouteResponse(value: unknown): value is RouteResponse {
  return typeof value === 'object' && value !== null && 'status' in value && typeof value.status === 'number';
}

/** GitHub's 422 with one field error, e.g. for a missing `head_sha`. */
export function validationFailed(resource: string, field: string, code = 'missing_field'): RouteResponse {
  return {
    status: 422,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify({
      message: 'Validation Failed',
      errors: [{ resource, field, code }],
      documentation_url: 'https://docs.github.com/rest',
      status: '422',
    }),
  };
}

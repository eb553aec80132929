// The manifest a platform team creates the App from must ask for exactly what the code uses, and point
// GitHub at the route the server serves; this keeps the two from drifting.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WEBHOOK_PATH } from './extension.js';
import { HANDLED_EVENTS } from './webhook-route.js';

const manifest = JSON.parse(readFileSync(new URL('./app-manifest.json', import.meta.url), 'utf8')) as {
  hook_attributes: { url: string };
  default_permissions: Record<string, string>;
  default_events: string[];
  public: boolean;
};

describe('app manifest', () => {
  it('subscribes to the events the server handles and posts them to its webhook route', () => {
    expect([...manifest.default_events].sort()).toEqual([...HANDLED_EVENTS].sort());
    expect(new URL(manifest.hook_attributes.url).pathname).toBe(WEBHOOK_PATH);
    expect(manifest.public).toBe(false);
  });

  it('asks for the permissions guard needs and no more', () => {
    expect(manifest.default_permissions).toEqual({
      checks: 'write',
      pull_requests: 'write',
      issues: 'write',
      members: 'read',
      metadata: 'read',
      actions: 'read',
      deployments: 'write',
    });
  });
});

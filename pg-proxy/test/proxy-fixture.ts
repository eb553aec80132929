// Starts a proxy in front of a test upstream with a fresh one-time credential and collects its events.

import { randomBytes } from 'node:crypto';
import {
  startPgProxy,
  type PgProxy,
  type PgProxyOptions,
  type ProxyEvent,
  type StatementEvent,
} from '../proxy.js';
import type { ProxyEnv } from './clients.js';
import type { TestUpstream } from './upstream-fixture.js';

export interface TestProxy {
  readonly proxy: PgProxy;
  readonly events: ProxyEvent[];
  readonly env: ProxyEnv;
  readonly user: string;
  readonly password: string;
  statements(): StatementEvent[];
  close(): Promise<void>;
}

export async function startTestProxy(
  upstream: TestUpstream,
  options: Partial<PgProxyOptions> = {},
): Promise<TestProxy> {
  const user = `step_${randomBytes(3).toString('hex')}`;
  const password = randomBytes(18).toString('base64url');
  const events: ProxyEvent[] = [];
  const proxy = await startPgProxy({
    listen: { host: '127.0.0.1', port: 0 },
    upstream: { host: upstream.host, port: upstream.port, user: upstream.user, database: upstream.database },
    clientAuth: { user, password },
    onEvent: (event) => events.push(event),
    ...options,
  });
  return {
    proxy,
    events,
    user,
    password,
    env: {
      PGHOST: proxy.host,
      PGPORT: String(proxy.port),
      PGUSER: user,
      PGPASSWORD: password,
      PGDATABASE: upstream.database,
    },
    statements: () => events.filter((e): e is StatementEvent => e.type === 'sql.statement'),
    close: () => proxy.close(),
  };
}

/** Waits until `predicate` holds for the collected events (events arrive just after the client's answer). */
export async function eventually(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

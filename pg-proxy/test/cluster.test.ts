// Against a real PostgreSQL cluster started for this file: upstream logins with SCRAM-SHA-256, md5 and
// cleartext password, TLS require and verify-full, COPY FROM STDIN, query cancel, and an upstream
// backend that is killed under a client.

import { connect } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCancelRequest, encodeQuery } from '../protocol/encode.js';
import { startPgProxy, type PgProxyOptions, type ProxyEvent } from '../proxy.js';
import type { UpstreamConfig } from '../upstream.js';
import { psql, run } from './clients.js';
import { startCluster, type TestCluster } from './cluster-fixture.js';
import { eventually } from './proxy-fixture.js';
import { RawClient } from './raw-client.js';

let cluster: TestCluster;

beforeAll(async () => {
  cluster = await startCluster();
  await cluster.psql('CREATE TABLE people (id int, email text); ALTER TABLE people OWNER TO scramuser');
}, 120_000);

afterAll(async () => {
  // beforeAll may have failed before the cluster existed.
  await (cluster as TestCluster | undefined)?.stop();
});

async function withProxy<T>(
  upstream: Partial<UpstreamConfig>,
  body: (
    env: Record<'PGHOST' | 'PGPORT' | 'PGUSER' | 'PGPASSWORD' | 'PGDATABASE', string>,
    events: ProxyEvent[],
  ) => Promise<T>,
  extra: Partial<PgProxyOptions> = {},
): Promise<T> {
  const events: ProxyEvent[] = [];
  const user = upstream.user ?? cluster.roles.scram;
  const proxy = await startPgProxy({
    listen: { host: '127.0.0.1', port: 0 },
    upstream: {
      host: cluster.host,
      port: cluster.port,
      user,
      password: `${user}-pw`,
      database: cluster.database,
      ...upstream,
    },
    clientAuth: { user: 'step', password: 'one-time-pw' },
    onEvent: (e) => events.push(e),
    ...extra,
  });
  try {
    return await body(
      {
        PGHOST: proxy.host,
        PGPORT: String(proxy.port),
        PGUSER: 'step',
        PGPASSWORD: 'one-time-pw',
        PGDATABASE: cluster.database,
      },
      events,
    );
  } finally {
    await proxy.close();
  }
}

const opened = (events: ProxyEvent[]) => events.find((e) => e.type === 'pg.connection.open');

describe('upstream login', () => {
  for (const [method, role] of [
    ['scram-sha-256', 'scramuser'],
    ['md5', 'md5user'],
    ['password', 'pwuser'],
  ] as const) {
    it(`logs in upstream with ${method} while the script only knows the one-time credential`, async () => {
      await withProxy({ user: role }, async (env, events) => {
        const r = await psql(env, 'SELECT current_user;\n');
        expect(r.stderr).toBe('');
        expect(r.stdout.trim()).toBe(role);
        expect(opened(events)).toMatchObject({ upstreamAuth: method, upstreamTls: false });
      });
    });
  }

  it('gives the client a clear FATAL 08001 when the registered password is wrong', async () => {
    await withProxy({ password: 'not-it' }, async (env, events) => {
      const r = await psql(env, 'SELECT 1;\n');
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('refused the login (28P01');
      expect(r.stderr).toContain('check the registered credential');
      expect(r.stderr).not.toContain('not-it');
      expect(events.some((e) => e.type === 'pg.upstream-error')).toBe(true);
    });
  });
});

describe('upstream TLS', () => {
  it('uses TLS with sslmode require', async () => {
    await withProxy({ ssl: { mode: 'require' } }, async (env, events) => {
      const r = await psql(env, 'SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid();\n');
      expect(r.stdout.trim()).toBe('t');
      expect(opened(events)).toMatchObject({ upstreamTls: true, upstreamAuth: 'scram-sha-256' });
    });
  });

  it('verifies the server certificate and host name with verify-full', async () => {
    for (const host of ['localhost', '127.0.0.1']) {
      await withProxy({ host, ssl: { mode: 'verify-full', ca: cluster.ca } }, async (env) => {
        const r = await psql(env, 'SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid();\n');
        expect(r.stdout.trim(), r.stderr).toBe('t');
      });
    }
  });

  it('refuses a server whose certificate another CA signed', async () => {
    await withProxy({ ssl: { mode: 'verify-full', ca: cluster.otherCa } }, async (env) => {
      const r = await psql(env, 'SELECT 1;\n');
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(
        /FATAL: +guard pg proxy: cannot connect to the upstream database.*certificate/s,
      );
    });
  });
});

describe('through a real server', () => {
  it('lets \\copy from stdin through and records it', async () => {
    await withProxy({}, async (env, events) => {
      const r = await psql(
        env,
        '\\copy people (id, email) from stdin\n1\tann@example.com\n2\t\\N\n\\.\nSELECT count(*) FROM people;\n',
      );
      expect(r.stderr).toBe('');
      expect(r.stdout.trim()).toBe('2');
      await eventually(() => events.some((e) => e.type === 'sql.statement' && e.class === 'copy'));
      expect(events.find((e) => e.type === 'sql.statement' && e.class === 'copy')).toMatchObject({
        outcome: 'ok',
        rows: 2,
      });
    });
  });

  it('passes a CancelRequest made with the key the proxy gave to the running query', async () => {
    await withProxy({}, async (env) => {
      const raw = await RawClient.login(
        env.PGHOST,
        Number(env.PGPORT),
        'step',
        'one-time-pw',
        cluster.database,
      );
      const started = Date.now();
      await raw.write(encodeQuery('SELECT pg_sleep(20)'));
      await new Promise((r) => setTimeout(r, 300));
      const cancel = connect({ host: env.PGHOST, port: Number(env.PGPORT) }, () =>
        cancel.end(encodeCancelRequest(raw.key.pid, raw.key.secret)),
      );
      const { labels } = await raw.untilReady();
      // The server describes the result before it starts sleeping, then the cancel ends it.
      expect(labels).toEqual(['RowDescription', 'ErrorResponse 57014', 'ReadyForQuery']);
      expect(Date.now() - started).toBeLessThan(10_000);
      raw.close();
    });
  });

  it('ends a client whose upstream backend is killed with FATAL 08006, records it, and keeps serving', async () => {
    await withProxy({}, async (env, events) => {
      const victim = new pg.Client({
        host: env.PGHOST,
        port: Number(env.PGPORT),
        user: 'step',
        password: 'one-time-pw',
        database: cluster.database,
      });
      victim.on('error', () => undefined);
      await victim.connect();
      const { rows } = await victim.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await cluster.psql(`SELECT pg_terminate_backend(${rows[0]!.pid})`);
      await expect(victim.query('SELECT 1')).rejects.toThrow();
      await eventually(() => events.some((e) => e.type === 'pg.upstream-error'));
      const after = await run('psql', ['-X', '-A', '-t', '-c', 'SELECT 42'], env);
      expect(after.stdout.trim()).toBe('42');
      await victim.end().catch(() => undefined);
    });
  });
});

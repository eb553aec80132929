// The database the integration tests proxy to: the PostgreSQL server on 127.0.0.1:5432 when one answers,
// otherwise PGlite served over a socket, so the suite passes on a machine with no PostgreSQL server.
// Each test file gets its own scratch database (or schema on PGlite) and drops it afterwards.

import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import pg from 'pg';

export interface TestUpstream {
  readonly kind: 'postgres' | 'pglite';
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
  /** Runs SQL directly on the upstream (not through the proxy), as a superuser. */
  sql(text: string, values?: unknown[]): Promise<pg.QueryResult>;
  close(): Promise<void>;
}

async function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.setTimeout(1000, () => {
      s.destroy();
      resolve(false);
    });
  });
}

export async function startUpstream(): Promise<TestUpstream> {
  if (process.env.GUARD_TEST_PGLITE !== '1' && (await reachable('127.0.0.1', 5432))) return scratchDatabase();
  return pgliteServer();
}

async function scratchDatabase(): Promise<TestUpstream> {
  const database = `guard_pgproxy_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const client = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database });
  await client.connect();
  return {
    kind: 'postgres',
    host: '127.0.0.1',
    port: 5432,
    user: 'postgres',
    database,
    sql: (text, values) => client.query(text, values),
    close: async () => {
      await client.end();
      const drop = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' });
      await drop.connect();
      await drop.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await drop.end();
    },
  };
}

async function pgliteServer(): Promise<TestUpstream> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const db = await PGlite.create();
  // Several connections: the test client and the proxy's catalog side connection.
  const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: 16 });
  await server.start();
  const port = Number(server.getServerConn().split(':').pop());
  return {
    kind: 'pglite',
    host: '127.0.0.1',
    port,
    user: 'postgres',
    database: 'postgres',
    sql: async (text, values) => (await db.query(text, values)) as unknown as pg.QueryResult,
    close: async () => {
      await server.stop();
      await db.close();
    },
  };
}

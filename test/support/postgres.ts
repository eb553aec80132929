// A throwaway database on the PostgreSQL server the tests can reach (CI starts one), or undefined when
// none runs, so the same suite passes on a fresh machine on PGlite alone. With GUARD_REQUIRE_POSTGRES=1
// (set by .ci/run) an unreachable server is an error, so CI cannot silently test less.
import pg from 'pg';
import { randomBytes } from 'node:crypto';

const ADMIN_URL = process.env.GUARD_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch (error) {
    if (process.env.GUARD_REQUIRE_POSTGRES === '1') {
      throw new Error(`GUARD_REQUIRE_POSTGRES=1 but PostgreSQL at ${ADMIN_URL} is not reachable`, {
        cause: error,
      });
    }
    return false;
  }
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `guard_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: ADMIN_URL });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

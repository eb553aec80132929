import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, postgresReachable, type TestDatabase } from '../../test/support/postgres.js';
import { openDatabase, type Database } from './database.js';
import { MIGRATIONS, migrate } from './migrations.js';

interface Backend {
  name: string;
  open(): Promise<Database>;
  cleanup(): Promise<void>;
}

async function pgliteBackend(): Promise<Backend> {
  const dir = await mkdtemp(join(tmpdir(), 'guard-pglite-'));
  return {
    name: 'pglite',
    open: () => openDatabase({ dataDir: join(dir, 'data') }),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

async function postgresBackend(): Promise<Backend> {
  const db: TestDatabase = await createTestDatabase();
  return { name: 'postgres', open: () => openDatabase({ databaseUrl: db.url }), cleanup: () => db.drop() };
}

const backends: Backend[] = [await pgliteBackend()];
if (await postgresReachable()) backends.push(await postgresBackend());

afterAll(async () => {
  for (const backend of backends) await backend.cleanup();
});

describe.each(backends)('storage on $name', (backend) => {
  it('applies every migration once, and again is a no-op; data survives a reopen', async () => {
    const db = await backend.open();
    expect(await migrate(db)).toBe(MIGRATIONS.length);
    expect(await migrate(db)).toBe(0);
    await db.query(`insert into reviewers (login, credential_sha256) values ('alice', 'x')`);
    await db.close();
    const again = await backend.open();
    expect(await migrate(again)).toBe(0);
    const { rows } = await again.query<{ login: string }>('select login from reviewers');
    expect(rows).toEqual([{ login: 'alice' }]);
    await again.close();
  });

  it('rolls a failed transaction back entirely', async () => {
    const db = await backend.open();
    await migrate(db);
    await expect(
      db.transaction(async (tx) => {
        await tx.query(`insert into reviewers (login, credential_sha256) values ('bob', 'y')`);
        await tx.query(`insert into reviewers (login, credential_sha256) values ('bob', 'z')`);
      }),
    ).rejects.toThrow();
    const { rows } = await db.query(`select * from reviewers where login = 'bob'`);
    expect(rows).toHaveLength(0);
    await db.close();
  });

  it('delivers NOTIFY to a listener', async () => {
    const db = await backend.open();
    const received = new Promise<string>((resolve) => void db.listen('guard_test', resolve));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await db.notify('guard_test', 'hello');
    expect(await received).toBe('hello');
    await db.close();
  });
});

describe.runIf(backends.some((backend) => backend.name === 'postgres'))(
  'two replicas on one PostgreSQL',
  () => {
    it("wake each other's listeners", async () => {
      const backend = backends.find((candidate) => candidate.name === 'postgres')!;
      const a = await backend.open();
      const b = await backend.open();
      const received = new Promise<string>((resolve) => void a.listen('guard_replica', resolve));
      await new Promise((resolve) => setTimeout(resolve, 100));
      await b.notify('guard_replica', 'from-b');
      expect(await received).toBe('from-b');
      await a.close();
      await b.close();
    });
  },
);

// psql through the proxy: recording, policy, masking, \copy and \d, as a step script would use them.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { psql, psqlCommand, run } from './clients.js';
import { testMasker } from './masker-for-tests.js';
import { eventually, startTestProxy, type TestProxy } from './proxy-fixture.js';
import { startUpstream, type TestUpstream } from './upstream-fixture.js';
import type { JudgeResult, StatementForPolicy } from '../proxy.js';

let upstream: TestUpstream;

beforeAll(async () => {
  upstream = await startUpstream();
  await upstream.sql(`CREATE TABLE customers (id int PRIMARY KEY, name text, email text UNIQUE, note text)`);
  await upstream.sql(
    `INSERT INTO customers VALUES (1, 'Ann', 'ann@example.com', 'card 4111 1111 1111 1111'), (2, 'Bob', NULL, 'plain')`,
  );
});

afterAll(async () => {
  await upstream.close();
});

/** The built-in policy shape: UPDATE/DELETE without WHERE blocked, DROP/TRUNCATE held for approval. */
function judge(stmt: StatementForPolicy): JudgeResult {
  if ((stmt.class === 'update' || stmt.class === 'delete') && stmt.withoutWhere) {
    return { action: 'block', rule: 'test sql[0]', reason: `${stmt.class.toUpperCase()} without WHERE` };
  }
  if (stmt.class === 'drop' || stmt.class === 'truncate')
    return { action: 'require-approval', rule: 'test sql[1]' };
  return { action: 'allow' };
}

describe('psql through the proxy', () => {
  let p: TestProxy;
  const approvals: StatementForPolicy[] = [];
  beforeAll(async () => {
    p = await startTestProxy(upstream, {
      judge,
      requestApproval: async (stmt) => {
        approvals.push(stmt);
        return stmt.text.includes('scratch_ok')
          ? { approved: true }
          : { approved: false, reason: 'alice denied it' };
      },
      maskColumns: ['customers.email'],
      maskValue: testMasker(),
    });
  });
  afterAll(async () => {
    await p.close();
  });

  it('records every statement of a multi-statement string with its outcome and rows', async () => {
    const r = await psql(
      p.env,
      `SELECT id FROM customers ORDER BY id; UPDATE customers SET name = name WHERE id = 2;\n`,
    );
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toEqual(['1', '2']);
    await eventually(() => p.statements().some((s) => s.class === 'update'));
    const [select, update] = p.statements().slice(-2);
    expect(select).toMatchObject({
      protocol: 'simple',
      class: 'select',
      tables: ['customers'],
      outcome: 'ok',
      rows: 2,
    });
    expect(update).toMatchObject({
      class: 'update',
      outcome: 'ok',
      tag: 'UPDATE 1',
      rows: 1,
      withoutWhere: false,
    });
    expect(update!.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('blocks an UPDATE without WHERE with SQLSTATE 42501 and the reason, and the session stays usable', async () => {
    const r = await psql(p.env, `UPDATE customers SET note = 'x';\nSELECT count(*) FROM customers;\n`);
    expect(r.stderr).toContain('42501');
    expect(r.stderr).toContain('statement blocked by policy (test sql[0]): UPDATE without WHERE');
    expect(r.stdout.trim()).toBe('2');
    expect((await upstream.sql(`SELECT count(*)::int AS n FROM customers WHERE note = 'x'`)).rows[0]).toEqual(
      { n: 0 },
    );
    await eventually(() => p.statements().some((s) => s.outcome === 'blocked'));
    expect(p.statements().find((s) => s.outcome === 'blocked')).toMatchObject({
      class: 'update',
      withoutWhere: true,
      decision: { action: 'block', rule: 'test sql[0]' },
    });
  });

  it('refuses the whole string when one statement of it is blocked, so nothing of it runs', async () => {
    const r = await psqlCommand(
      p.env,
      `INSERT INTO customers VALUES (9, 'Eve', NULL, NULL); DELETE FROM customers`,
    );
    expect(r.stderr).toContain('42501');
    expect((await upstream.sql(`SELECT count(*)::int AS n FROM customers`)).rows[0]).toEqual({ n: 2 });
    await eventually(() => p.statements().some((s) => s.class === 'insert' && s.outcome === 'not-run'));
  });

  it('holds a statement for approval: runs it when approved, refuses it when denied', async () => {
    await upstream.sql('CREATE TABLE scratch_ok (id int)');
    await upstream.sql('CREATE TABLE scratch_keep (id int)');
    const ok = await psql(p.env, 'DROP TABLE scratch_ok;\n');
    expect(ok.stderr).toBe('');
    const denied = await psql(p.env, 'DROP TABLE scratch_keep;\n');
    expect(denied.stderr).toContain('approval for the statement was not granted: alice denied it');
    const left = await upstream.sql(`SELECT relname FROM pg_class WHERE relname LIKE 'scratch_%' ORDER BY 1`);
    expect(left.rows).toEqual([{ relname: 'scratch_keep' }]);
    expect(approvals.map((a) => a.text)).toEqual(['DROP TABLE scratch_ok', 'DROP TABLE scratch_keep']);
  });

  it('masks policy columns (aliased too) and values the masker detects, keeping NULLs', async () => {
    const r = await psql(p.env, `SELECT id, email AS contact, note FROM customers ORDER BY id;\n`);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^1\|\*\*\*\|card \[MASKED:[a-z-]+\]$/);
    expect(lines[1]).toBe('2||plain');
    expect(r.stdout).not.toContain('ann@example.com');
    expect(r.stdout).not.toContain('4111');
  });

  it('masks \\copy ... to stdout column by column, and refuses CSV export of a masked column', async () => {
    const out = await psql(p.env, `\\copy customers (id, email, note) to stdout\n`);
    expect(out.stdout).toMatch(/^1\t\*\*\*\tcard \[MASKED:[a-z-]+\]\n2\t\\N\tplain\n$/);
    const csv = await psql(p.env, `\\copy customers to stdout csv\n`);
    expect(csv.stderr).toContain('masked by policy');
    expect(csv.stdout).toBe('');
  });

  it('describes tables with \\d', async () => {
    const r = await run('psql', ['-X', '-c', '\\d customers'], p.env);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('email');
    expect(r.stdout).toContain('customers_pkey');
  });

  it('scrubs row data out of error details (unique violation Key (email)=(...))', async () => {
    const r = await psql(p.env, `INSERT INTO customers VALUES (5, 'Dup', 'ann@example.com', NULL);\n`);
    expect(r.stderr).toContain('23505');
    expect(r.stderr).toContain('Key (email)=(***) already exists');
    expect(r.stderr).not.toContain('ann@example.com');
  });

  it('records password literals masked', async () => {
    await psql(
      p.env,
      `SELECT 'x' AS note WHERE 'password' <> 'x'; ALTER ROLE nobody_here PASSWORD 'hunter2-secret';\n`,
    );
    await eventually(() => p.statements().some((s) => s.class === 'alter'));
    const alter = p.statements().find((s) => s.class === 'alter')!;
    expect(alter.text).toBe(`ALTER ROLE nobody_here PASSWORD '***'`);
    expect(JSON.stringify(p.events)).not.toContain('hunter2');
  });

  it('refuses a login with the wrong one-time password (28P01) and records it', async () => {
    const r = await psql({ ...p.env, PGPASSWORD: 'wrong' }, 'SELECT 1;\n');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('password authentication failed');
    expect(p.events.some((e) => e.type === 'pg.auth-failed')).toBe(true);
  });
});

// The extended query protocol: node-postgres with parameters and prepared statements, and pipelines of
// Parse/Bind/Execute before one Sync written in one piece and a byte at a time.

import { connect } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageBuilder } from '../protocol/message-builder.js';
import { decodeDataRow } from '../protocol/decode.js';
import {
  encodeCancelRequest,
  encodeDescribe,
  encodeParse,
  encodeQuery,
  encodeSync,
} from '../protocol/encode.js';
import { BackendCode, FrontendCode } from '../protocol/message-codes.js';
import type { JudgeResult, StatementForPolicy } from '../proxy.js';
import { testMasker } from './masker-for-tests.js';
import { eventually, startTestProxy, type TestProxy } from './proxy-fixture.js';
import { RawClient } from './raw-client.js';
import { startUpstream, type TestUpstream } from './upstream-fixture.js';

let upstream: TestUpstream;
let p: TestProxy;

function judge(stmt: StatementForPolicy): JudgeResult {
  if ((stmt.class === 'update' || stmt.class === 'delete') && stmt.withoutWhere) {
    return { action: 'block', reason: `${stmt.class.toUpperCase()} without WHERE` };
  }
  return { action: 'allow' };
}

beforeAll(async () => {
  upstream = await startUpstream();
  await upstream.sql(`CREATE TABLE accounts (id int PRIMARY KEY, email text, pin int, balance int8)`);
  await upstream.sql(`INSERT INTO accounts VALUES (1, 'ann@example.com', 1234, 10), (2, NULL, NULL, 20)`);
  p = await startTestProxy(upstream, {
    judge,
    maskColumns: ['accounts.email', 'accounts.pin'],
    maskValue: testMasker(),
  });
});

afterAll(async () => {
  await p.close();
  await upstream.close();
});

function client(): pg.Client {
  return new pg.Client({
    host: p.env.PGHOST,
    port: Number(p.env.PGPORT),
    user: p.user,
    password: p.password,
    database: p.env.PGDATABASE,
  });
}

function bind(portal: string, statement: string, params: (string | null)[], resultFormat = 0): Buffer {
  const b = new MessageBuilder().cstring(portal).cstring(statement).int16(0).int16(params.length);
  for (const v of params) {
    if (v === null) b.int32(-1);
    else b.int32(Buffer.byteLength(v)).bytes(Buffer.from(v));
  }
  return b.int16(1).int16(resultFormat).build(FrontendCode.Bind);
}

function execute(portal: string): Buffer {
  return new MessageBuilder().cstring(portal).int32(0).build(FrontendCode.Execute);
}

describe('node-postgres through the proxy', () => {
  it('runs parameterised queries with masked results and records the parameters masked', async () => {
    const c = client();
    await c.connect();
    const r = await c.query(
      'SELECT id, email, pin, balance FROM accounts WHERE id = $1 OR email = $2 ORDER BY id',
      [2, 'ann@example.com'],
    );
    // A masked int column carries the text '***', which node-postgres parses as an int: NaN, never the PIN.
    expect(r.rows).toEqual([
      { id: 1, email: '***', pin: NaN, balance: '10' },
      { id: 2, email: null, pin: null, balance: '20' },
    ]);
    await c.end();
    await eventually(() => p.statements().some((s) => s.protocol === 'extended' && s.class === 'select'));
    const rec = p.statements().find((s) => s.protocol === 'extended' && s.class === 'select')!;
    expect(rec).toMatchObject({ outcome: 'ok', rows: 2, maskedValues: 2, tables: ['accounts'] });
    expect(rec.params?.[0]).toBe('2');
    expect(rec.params?.[1]).toMatch(/^\[MASKED:[a-z-]+\]$/);
    expect(JSON.stringify(p.events)).not.toContain('ann@example.com');
  });

  it('re-executes a named prepared statement and masks every execution', async () => {
    const c = client();
    await c.connect();
    for (const id of [1, 1, 2]) {
      const r = await c.query({
        name: 'by-id',
        text: 'SELECT email FROM accounts WHERE id = $1',
        values: [id],
      });
      expect(r.rows[0]).toEqual({ email: id === 1 ? '***' : null });
    }
    await c.end();
  });

  it('blocks at Parse with 42501 and keeps the connection usable', async () => {
    const c = client();
    await c.connect();
    await expect(c.query('DELETE FROM accounts')).rejects.toMatchObject({ code: '42501' });
    const r = await c.query('SELECT count(*)::int AS n FROM accounts WHERE id > $1', [0]);
    expect(r.rows).toEqual([{ n: 2 }]);
    await c.end();
  });

  it('handles binary results: text-like masked columns are masked, a masked int column is refused clearly', async () => {
    const c = client();
    await c.connect();
    // node-postgres's per-query `binary` option asks for binary-format results (its types omit it).
    const binary = (text: string): pg.QueryConfig<number[]> =>
      ({ text, values: [1], binary: true }) as pg.QueryConfig<number[]>;
    const ok = await c.query<{ email: Buffer | string }>(binary('SELECT email FROM accounts WHERE id = $1'));
    expect(String(ok.rows[0]?.email)).toBe('***');
    await expect(c.query(binary('SELECT pin FROM accounts WHERE id = $1'))).rejects.toThrow(
      /accounts\.pin is masked by policy but was requested in binary format/,
    );
    const after = await c.query('SELECT 1 AS one');
    expect(after.rows).toEqual([{ one: 1 }]);
    await c.end();
  });
});

describe('pipelined extended protocol (several statements before one Sync)', () => {
  // Statement names differ per run: PGlite's socket server shares one backend among its connections.
  const pipeline = (name: string): Buffer =>
    Buffer.concat([
      encodeParse(name, 'INSERT INTO accounts (id, email) VALUES ($1, $2)'),
      bind('', name, ['7', 'zed@example.com']),
      execute(''),
      encodeParse('', 'SELECT id, email FROM accounts WHERE id = $1'),
      bind('p2', '', ['7']),
      encodeDescribe('P', 'p2'),
      execute('p2'),
      encodeSync(),
    ]);

  for (const [name, chunk] of [
    ['in one write', 0],
    ['a byte at a time', 1],
    ['in 7-byte pieces', 7],
  ] as const) {
    it(`answers and records each statement in order, written ${name}`, async () => {
      await upstream.sql('DELETE FROM accounts WHERE id = 7');
      const before = p.statements().length;
      const raw = await RawClient.login(p.proxy.host, p.proxy.port, p.user, p.password, p.env.PGDATABASE);
      const bytes = pipeline(`ins_${chunk}`);
      await raw.write(bytes, chunk === 0 ? bytes.length : chunk);
      const { labels, frames } = await raw.untilReady();
      expect(labels).toEqual([
        'ParseComplete',
        'BindComplete',
        'CommandComplete',
        'ParseComplete',
        'BindComplete',
        'RowDescription',
        'DataRow',
        'CommandComplete',
        'ReadyForQuery',
      ]);
      const row = decodeDataRow(frames.find((f) => f.code === BackendCode.DataRow)!.payload);
      expect(row.map((v) => v?.toString())).toEqual(['7', '***']);
      raw.close();
      await eventually(() => p.statements().length >= before + 2);
      const [ins, sel] = p.statements().slice(before);
      expect(ins).toMatchObject({ class: 'insert', outcome: 'ok', rows: 1, tag: 'INSERT 0 1' });
      expect(ins!.params).toEqual(['7', expect.stringMatching(/^\[MASKED:/) as string]);
      expect(sel).toMatchObject({ class: 'select', outcome: 'ok', rows: 1, maskedValues: 1 });
    });
  }

  it('refuses a blocked statement inside a pipeline in place: earlier work rolls back, the session goes on', async () => {
    await upstream.sql('DELETE FROM accounts WHERE id = 8');
    const raw = await RawClient.login(p.proxy.host, p.proxy.port, p.user, p.password, p.env.PGDATABASE);
    await raw.write(
      Buffer.concat([
        encodeParse('', 'INSERT INTO accounts (id) VALUES (8)'),
        bind('', '', []),
        execute(''),
        encodeParse('', 'UPDATE accounts SET balance = 0'),
        bind('', '', []),
        execute(''),
        encodeSync(),
      ]),
    );
    const { labels } = await raw.untilReady();
    expect(labels).toEqual([
      'ParseComplete',
      'BindComplete',
      'CommandComplete',
      'ErrorResponse 42501',
      'ReadyForQuery',
    ]);
    // The implicit transaction of the pipeline failed, so the INSERT before the refusal did not commit.
    expect((await upstream.sql('SELECT count(*)::int AS n FROM accounts WHERE id = 8')).rows[0]).toEqual({
      n: 0,
    });
    await raw.write(encodeQuery('SELECT 41 + 1'));
    const next = await raw.untilReady();
    expect(next.labels).toEqual(['RowDescription', 'DataRow', 'CommandComplete', 'ReadyForQuery']);
    raw.close();
    await eventually(() => p.statements().some((s) => s.class === 'update' && s.outcome === 'blocked'));
  });
});

describe('approval waits', () => {
  it('ends an approval wait with 57014 when the client cancels, and the session goes on', async () => {
    let asked = 0;
    const held = await startTestProxy(upstream, {
      judge: (stmt) => (stmt.class === 'truncate' ? { action: 'require-approval' } : { action: 'allow' }),
      requestApproval: (_stmt, signal) => {
        asked++;
        return new Promise((_, reject) =>
          signal.addEventListener('abort', () => reject(signal.reason as Error)),
        );
      },
    });
    const before = (await upstream.sql('SELECT count(*)::int AS n FROM accounts')).rows[0] as { n: number };
    expect(before.n).toBeGreaterThan(0);
    const raw = await RawClient.login(
      held.proxy.host,
      held.proxy.port,
      held.user,
      held.password,
      held.env.PGDATABASE,
    );
    await raw.write(encodeQuery('TRUNCATE accounts'));
    await eventually(() => asked === 1);
    const cancel = connect({ host: held.proxy.host, port: held.proxy.port }, () =>
      cancel.end(encodeCancelRequest(raw.key.pid, raw.key.secret)),
    );
    expect((await raw.untilReady()).labels).toEqual(['ErrorResponse 57014', 'ReadyForQuery']);
    expect((await upstream.sql('SELECT count(*)::int AS n FROM accounts')).rows[0]).toEqual(before);
    await raw.write(encodeQuery('SELECT 1'));
    expect((await raw.untilReady()).labels).toContain('DataRow');
    raw.close();
    await held.close();
  });
});

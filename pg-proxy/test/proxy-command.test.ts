// `guard proxy pg` as a person runs it: policy folder, recording folder, the PG* lines it prints.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyEventChain } from '../../recording/event-chain.js';
import { RECORD_FILE, runProxyPgCommand } from '../proxy-command.js';
import { psql, type ProxyEnv } from './clients.js';
import { eventually } from './proxy-fixture.js';
import { startUpstream, type TestUpstream } from './upstream-fixture.js';

let upstream: TestUpstream;
let dir: string;

beforeAll(async () => {
  upstream = await startUpstream();
  await upstream.sql(`CREATE TABLE customers (id int, email text)`);
  await upstream.sql(`INSERT INTO customers VALUES (1, 'ann@example.com')`);
  dir = await mkdtemp(join(tmpdir(), 'guard-proxy-cmd-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await upstream.close();
});

/** Starts the command, waits for its PG* lines, and returns them with a stop function. */
async function start(
  argv: string[],
): Promise<{ env: ProxyEnv; stop: () => Promise<{ code: number; stderr: string }> }> {
  let stdout = '';
  let stderr = '';
  const stop = new AbortController();
  const done = runProxyPgCommand(
    argv,
    {
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t) },
      env: {},
    },
    stop.signal,
  );
  await eventually(() => stdout.includes('DATABASE_URL=') || stderr !== '');
  const get = (name: string): string => new RegExp(`^${name}=(.*)$`, 'm').exec(stdout)?.[1] ?? '';
  return {
    env: {
      PGHOST: get('PGHOST'),
      PGPORT: get('PGPORT'),
      PGUSER: get('PGUSER'),
      PGPASSWORD: get('PGPASSWORD'),
      PGDATABASE: get('PGDATABASE'),
    },
    stop: async () => {
      stop.abort();
      const code = await done;
      return { code, stderr };
    },
  };
}

describe('guard proxy pg', () => {
  it('judges with the policy folder, masks its columns and the masker finds, and records a verifiable chain', async () => {
    const policies = join(dir, 'policies');
    const record = join(dir, 'record');
    await import('node:fs/promises').then((fs) => fs.mkdir(policies));
    await writeFile(
      join(policies, 'local.yml'),
      [
        'kind: repository',
        'name: local-db',
        'match: { repository: acme/shop }',
        'sql:',
        '  - when: { statement: delete, tables: [customers] }',
        '    action: block',
        '    reason: customers are never deleted from a pipeline',
        'masking:',
        "  columns: ['customers.email']",
        '',
      ].join('\n'),
    );
    const url = `postgresql://${upstream.user}@${upstream.host}:${upstream.port}/${upstream.database}`;
    const proxy = await start([
      '--listen',
      '127.0.0.1:0',
      '--upstream',
      url,
      '--policy',
      policies,
      '--record',
      record,
    ]);
    const r = await psql(
      proxy.env,
      `SELECT id, email, 'bob@example.org' AS contact FROM customers;\nDELETE FROM customers WHERE id = 1;\n`,
    );
    expect(r.stdout.trim()).toMatch(/^1\|\*\*\*\|\[MASKED:[a-z-]+\]$/);
    expect(r.stderr).toContain('customers are never deleted from a pipeline');
    const { code, stderr } = await proxy.stop();
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(
      /stopped after 1 connection\(s\), 2 statement\(s\), 1 refused, 2 value\(s\) masked/,
    );
    const text = await readFile(join(record, RECORD_FILE), 'utf8');
    const chain = verifyEventChain(text);
    expect(chain.ok, JSON.stringify(chain.problem)).toBe(true);
    expect(chain.events.map((e) => e.type)).toEqual([
      'pg.connection.open',
      'sql.statement',
      'sql.statement',
      'pg.connection.close',
    ]);
    expect(text).not.toContain('ann@example.com');
    expect(text).not.toContain('bob@example.org');
  });

  it('without a policy folder blocks DELETE without WHERE and refuses DROP for want of an approver', async () => {
    const url = `postgresql://${upstream.user}@${upstream.host}:${upstream.port}/${upstream.database}`;
    const proxy = await start(['--listen', '127.0.0.1:0', '--upstream', url]);
    const r = await psql(proxy.env, 'DELETE FROM customers;\nDROP TABLE customers;\n');
    expect(r.stderr).toContain('DELETE without WHERE changes every row');
    expect(r.stderr).toContain(
      'statement requires approval (built-in sql[1]): DROP needs a reviewer; no approver is connected',
    );
    await proxy.stop();
    expect((await upstream.sql('SELECT count(*)::int AS n FROM customers')).rows[0]).toEqual({ n: 1 });
  });

  it('explains a bad argument and exits 2', async () => {
    let stderr = '';
    const code = await runProxyPgCommand(['--listen', '0.0.0.0:5432', '--upstream', 'postgresql://a@h/d'], {
      stdout: { write: () => undefined },
      stderr: { write: (t: string) => (stderr += t) },
    });
    expect(code).toBe(2);
    expect(stderr).toContain('not a loopback address');
  });
});

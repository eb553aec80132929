// `shell: guard --db NAME {0}` end to end: the server releases the registered connection only to the
// released step, the script sees a loopback proxy with a one-time login, results are masked, SQL policy
// blocks and holds statements, and every statement lands in the job's hash-chained events.
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { GuardServerClient } from '../../client/server-api.js';
import { startUpstream, type TestUpstream } from '../../pg-proxy/test/upstream-fixture.js';
import { registerDatabase } from '../../server/databases.js';
import { createRunnerJob, type RunnerJob } from '../../stand-ins/runner/index.js';
import { startStack, type Stack } from '../../test/support/stack.js';

const actionDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const pgModule = createRequire(import.meta.url).resolve('pg');

const POLICY = `
kind: repository
name: octo-db
match:
  repository: [octo-org/octo-repo]
  repository_id: ['892345671']
approvals:
  reviewers: [alice]
  min: 1
  expire-after: 1h
sql:
  - when: { statement: [drop, truncate] }
    action: require-approval
  - when: { statement: [delete, update], without-where: true }
    action: block
masking:
  columns: ['*.email']
`;

let stack: Stack;
let upstream: TestUpstream;
let job: RunnerJob;

beforeAll(async () => {
  upstream = await startUpstream();
  await upstream.sql('create table customers (id int primary key, name text, email text, note text)');
  await upstream.sql(
    `insert into customers values (1, 'Ana', 'ana@example.com', 'card 4111 1111 1111 1111'), (2, 'Bo', 'bo@example.com', 'vip')`,
  );
  stack = await startStack({ policies: { 'octo-db.yml': POLICY } });
  await registerDatabase(stack.server.ctx.db, stack.server.ctx.secrets, 'orders', {
    host: upstream.host,
    port: upstream.port,
    user: upstream.user,
    database: upstream.database,
  });
  job = await createRunnerJob({
    standIn: stack.github,
    actionDir,
    inputs: { server: stack.server.url },
    claims: { run_id: '33000000001' },
  });
  expect((await job.runMain()).exitCode).toBe(0);
  // A tiny client the steps run: node's pg, from DATABASE_URL, printing rows as JSON.
  await writeFile(
    join(job.env.GITHUB_WORKSPACE ?? '', 'sql.mjs'),
    `import pg from ${JSON.stringify(pgModule)};\nconst client = new pg.Client({ connectionString: process.env.DATABASE_URL });\nawait client.connect();\ntry { const r = await client.query(process.argv[2]); console.log(JSON.stringify(r.rows ?? [])); console.log('tag ' + r.command + ' ' + r.rowCount); }\ncatch (e) { console.log('error ' + e.code + ': ' + e.message); process.exitCode = 3; }\nfinally { await client.end(); }\n`,
  );
});

afterAll(async () => {
  await job?.cleanup();
  await stack?.close();
  await upstream?.close();
});

it('gives the script a loopback proxy with a one-time login, and masks result columns and detected data', async () => {
  const result = await job.runStep({
    run: `echo "host=$PGHOST user=$PGUSER db=$PGDATABASE"\nnode sql.mjs "select id, name, email, note from customers order by id"`,
    shell: 'guard --db orders --name Query {0}',
  });
  expect(result.exitCode, result.log).toBe(0);
  expect(result.stdout).toMatch(/host=127\.0\.0\.1 user=guard_step_1 db=/);
  expect(result.stdout).toContain('"name":"Ana"');
  expect(result.stdout).not.toContain('ana@example.com');
  expect(result.stdout).not.toContain('4111 1111 1111 1111');
});

it('blocks a DELETE without WHERE with a clear error, and the database is untouched', async () => {
  const result = await job.runStep({
    run: 'node sql.mjs "delete from customers"',
    shell: 'guard --db orders --name Purge {0}',
  });
  expect(result.exitCode).toBe(3);
  expect(result.stdout).toMatch(/error \w+: .*guard/i);
  expect((await upstream.sql('select count(*)::int as n from customers')).rows[0]).toEqual({ n: 2 });
});

it('holds a DROP until a reviewer approves it, then runs it', async () => {
  await upstream.sql('create table scratch (id int)');
  const reviewer = new GuardServerClient(stack.server.url, await stack.reviewerToken('alice'));
  const running = job.runStep({
    run: 'node sql.mjs "drop table scratch"',
    shell: 'guard --db orders --name Drop {0}',
  });
  let pending;
  for (let i = 0; i < 200 && !pending; i++) {
    pending = (await reviewer.listPending()).approvals.find(
      (approval) => approval.kind === 'sql' && approval.runId === '33000000001',
    );
    if (!pending) await new Promise((r) => setTimeout(r, 50));
  }
  if (!pending) throw new Error('the DROP never reached the reviewer');
  expect(pending.body).toMatch(/drop table scratch/i);
  await reviewer.decide(pending.id, 'approve', 'scratch table, safe');
  const result = await running;
  expect(result.exitCode, result.log).toBe(0);
  expect(result.stdout).toContain('tag DROP');
  expect((await upstream.sql(`select to_regclass('public.scratch') as t`)).rows[0]).toEqual({ t: null });
});

it('refuses a --db step for a database the server does not know, before anyone is asked', async () => {
  const result = await job.runStep({ run: 'echo never', shell: 'guard --db nowhere {0}' });
  expect(result.exitCode).toBe(1);
  expect(result.log).toMatch(/no database 'nowhere' is registered/);
  expect(result.stdout).not.toContain('never');
});

it('records every statement in the hash-chained events, masked, with SQL counts per step', async () => {
  const dir = join(job.env.RUNNER_TEMP ?? '', 'guard', job.outputs()['session-id'] ?? '', 'record');
  const events = (await readFile(join(dir, 'events.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  const statements = events.filter((event) => event.type === 'sql.statement');
  expect(statements.map((event) => [event.class, event.outcome])).toEqual(
    expect.arrayContaining([
      ['select', 'ok'],
      ['delete', 'blocked'],
      ['drop', 'ok'],
    ]),
  );
  expect(JSON.stringify(events)).not.toContain('ana@example.com');
  const ends = events.filter((event) => event.type === 'step.end');
  expect(ends.some((event) => (event.sql_counts as Record<string, number> | undefined)?.select === 1)).toBe(
    true,
  );
  const post = await job.runPost();
  expect(post.exitCode, post.log).toBe(0);
});

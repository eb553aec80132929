// pgbench through the proxy in its three query modes: every transaction completes, none fails, and every
// statement is recorded.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from './clients.js';
import { eventually, startTestProxy, type TestProxy } from './proxy-fixture.js';
import { startUpstream, type TestUpstream } from './upstream-fixture.js';
import { testMasker } from './masker-for-tests.js';

let upstream: TestUpstream;
let p: TestProxy;

beforeAll(async () => {
  upstream = await startUpstream();
  p = await startTestProxy(upstream, { maskColumns: ['pgbench_branches.filler'], maskValue: testMasker() });
  // Server-side data generation (G): no COPY FROM STDIN, which PGlite's socket server cannot take.
  const init = await run('pgbench', ['-i', '-I', 'dtGp', '-s', '1', '-q'], p.env, undefined, 120_000);
  expect(init.code, init.stderr).toBe(0);
}, 180_000);

afterAll(async () => {
  await p.close();
  await upstream.close();
});

describe('pgbench through the proxy', () => {
  for (const mode of ['simple', 'extended', 'prepared'] as const) {
    it(`runs select-only and TPC-B-like transactions in ${mode} mode without a failure`, async () => {
      const before = p.statements().length;
      const clients = upstream.kind === 'pglite' ? 1 : 2;
      // PGlite's socket server shares one backend among connections, so pgbench's P_0... from an earlier
      // run would still exist there; a real server drops them with the connection.
      const forget = async (): Promise<void> => {
        if (upstream.kind === 'pglite') await upstream.sql('DEALLOCATE ALL');
      };
      await forget();
      const select = await run('pgbench', ['-M', mode, '-S', '-c', String(clients), '-t', '50', '-n'], p.env);
      expect(select.code, select.stderr).toBe(0);
      expect(select.stdout).toContain(
        `number of transactions actually processed: ${50 * clients}/${50 * clients}`,
      );
      expect(select.stdout).toContain('number of failed transactions: 0');
      await forget();
      const tpcb = await run('pgbench', ['-M', mode, '-c', String(clients), '-t', '20', '-n'], p.env);
      expect(tpcb.code, tpcb.stderr).toBe(0);
      expect(tpcb.stdout).toContain('number of failed transactions: 0');
      // -S: one SELECT per transaction; TPC-B-like: BEGIN, 3 UPDATEs, SELECT, INSERT, END.
      const expected = 50 * clients + 20 * clients * 7;
      await eventually(() => p.statements().length - before >= expected);
      const mine = p.statements().slice(before);
      expect(mine.every((s) => s.outcome === 'ok')).toBe(true);
      expect(mine.filter((s) => s.class === 'update')).toHaveLength(60 * clients);
      // pgbench's own set-up queries are simple-protocol in every mode; the benchmark statements are not.
      const selects = mine.filter((s) => s.text.includes('FROM pgbench_accounts WHERE aid'));
      expect(selects.length).toBeGreaterThanOrEqual(50 * clients);
      expect(new Set(selects.map((s) => s.protocol))).toEqual(
        new Set([mode === 'simple' ? 'simple' : 'extended']),
      );
    }, 120_000);
  }
});

import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { defineConfig } from 'vitest/config';

// Suites that drive PostgreSQL's own programs. On a fresh machine with only Node and npm they are not
// collected (said once below), and everything else falls back to PGlite; where .ci/run has installed
// PostgreSQL (GUARD_REQUIRE_POSTGRES=1) a missing program is an error, so CI cannot quietly test less.
const NEEDS: Record<string, string[]> = {
  'pg-proxy/test/psql.test.ts': ['psql'],
  'pg-proxy/test/proxy-command.test.ts': ['psql'],
  'pg-proxy/test/pgbench.test.ts': ['pgbench'],
  'pg-proxy/test/cluster.test.ts': ['psql', 'initdb'],
};

function installed(program: string): boolean {
  if (program === 'initdb') {
    const base = '/usr/lib/postgresql';
    if (process.env.GUARD_PG_BIN && existsSync(join(process.env.GUARD_PG_BIN, 'initdb'))) return true;
    return (
      existsSync(base) &&
      readdirSync(base).some((version) => existsSync(join(base, version, 'bin', 'initdb')))
    );
  }
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, program)));
}

const missing = Object.entries(NEEDS).filter(([, programs]) => !programs.every(installed));
if (missing.length > 0) {
  const list = missing
    .map(([file, programs]) => `${file} (${programs.filter((p) => !installed(p)).join(', ')})`)
    .join('; ');
  if (process.env.GUARD_REQUIRE_POSTGRES === '1') {
    throw new Error(
      `GUARD_REQUIRE_POSTGRES=1 but PostgreSQL programs are missing for: ${list}; install postgresql and postgresql-client`,
    );
  }
  console.warn(`guard tests: not run, PostgreSQL programs missing: ${list}`);
}

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**', ...missing.map(([file]) => file)],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests start servers and child processes; two cores, so keep workers few.
    maxWorkers: 2,
  },
});

// Runs the PostgreSQL command-line clients (psql, pgbench) against the proxy the way a step script would:
// with the PG* environment guard exports, nothing else.

import { spawn } from 'node:child_process';

export interface ProxyEnv {
  readonly PGHOST: string;
  readonly PGPORT: string;
  readonly PGUSER: string;
  readonly PGPASSWORD: string;
  readonly PGDATABASE: string;
}

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function run(
  command: string,
  args: readonly string[],
  env: ProxyEnv,
  input?: string,
  timeoutMs = 60_000,
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        LANG: 'C.UTF-8',
        PGSSLMODE: 'prefer',
        PGCONNECT_TIMEOUT: '10',
        ...env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input ?? '');
  });
}

/** psql with the options a test wants: no psqlrc, stop on error only when asked, terse unaligned output. */
export function psql(env: ProxyEnv, script: string, extra: readonly string[] = []): Promise<RunResult> {
  return run('psql', ['-X', '-q', '-A', '-t', '-v', 'VERBOSITY=verbose', ...extra, '-f', '-'], env, script);
}

/** psql -c: the whole string goes to the server as one Query message (psql -f would split it). */
export function psqlCommand(env: ProxyEnv, sql: string, extra: readonly string[] = []): Promise<RunResult> {
  return run('psql', ['-X', '-q', '-A', '-t', '-v', 'VERBOSITY=verbose', ...extra, '-c', sql], env);
}

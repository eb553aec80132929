// What the hook tests share: a runner registered on the real server, the install command run on a runner
// folder, and a job of the runner stand-in whose environment includes the runner's .env.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { runRunnerHookCommand } from '../install-command.js';

export interface InstalledRunner {
  runnerDir: string;
  hookDir: string;
  /** The runner's .env as the runner process environment gets it. */
  dotEnv: Record<string, string>;
  startedScript: string;
  completedScript: string;
  output: string;
  remove: () => Promise<void>;
}

export async function installRunner(options: {
  server: string;
  credential: string;
  dist: string;
  extraArgs?: string[];
}): Promise<InstalledRunner> {
  const base = await mkdtemp(join(tmpdir(), 'guard-runner-install-'));
  const runnerDir = join(base, 'actions-runner');
  const { mkdir, writeFile } = await import('node:fs/promises');
  await mkdir(runnerDir);
  await writeFile(join(runnerDir, '.env'), 'LANG=C.UTF-8\n');
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const captured: string[] = [];
  stdout.on('data', (chunk: Buffer) => captured.push(chunk.toString()));
  stderr.on('data', (chunk: Buffer) => captured.push(chunk.toString()));
  const code = await runRunnerHookCommand(
    [
      'install',
      '--server',
      options.server,
      '--runner-dir',
      runnerDir,
      '--dist',
      options.dist,
      ...(options.extraArgs ?? []),
    ],
    { stdin: Readable.from([`${options.credential}\n`]), stdout, stderr, env: {}, cwd: base },
  );
  if (code !== 0) throw new Error(`install failed (${code}): ${captured.join('')}`);
  const dotEnv = Object.fromEntries(
    (await readFile(join(runnerDir, '.env'), 'utf8'))
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  const hookDir = `${runnerDir}-guard-hooks`;
  return {
    runnerDir,
    hookDir,
    dotEnv,
    startedScript: await readFile(dotEnv.ACTIONS_RUNNER_HOOK_JOB_STARTED ?? '', 'utf8'),
    completedScript: await readFile(dotEnv.ACTIONS_RUNNER_HOOK_JOB_COMPLETED ?? '', 'utf8'),
    output: captured.join(''),
    remove: () => rm(base, { recursive: true, force: true }),
  };
}

export function uniqueRunId(): string {
  return String(30_000_000_000 + Math.floor(Math.random() * 1e9));
}

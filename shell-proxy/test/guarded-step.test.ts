// `shell: guard {0}` as the runner runs it (the bundled shim on PATH): cancellation, the runner's workflow
// commands, secrets the script registers, and the environment the script sees.
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRunnerJob, type RunnerJob } from '../../stand-ins/runner/index.js';
import { startStack, type Stack } from '../../test/support/stack.js';
import { verifyCast } from '../../recording/cast-verify.js';

const actionDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
let stack: Stack;
let job: RunnerJob;

beforeAll(async () => {
  stack = await startStack();
  job = await createRunnerJob({
    standIn: stack.github,
    actionDir,
    inputs: { server: stack.server.url, mask: 'input-secret-value-42' },
    claims: { run_id: '32000000001' },
    cancelGrace: { sigintMs: 2000, sigtermMs: 1000 },
  });
  expect((await job.runMain()).exitCode).toBe(0);
});
afterAll(async () => {
  await job?.cleanup();
  await stack?.close();
});

const recordDir = () => join(job.env.RUNNER_TEMP ?? '', 'guard', job.outputs()['session-id'] ?? '', 'record');

it('on cancellation stops the whole process group and still closes the recording properly', async () => {
  const controller = new AbortController();
  // Durations unique to this run, so the process check sees only this step's children.
  const seconds = [1000 + Math.floor(Math.random() * 8000), 9001 + Math.floor(Math.random() * 8000)];
  const running = job.runStep({
    run: `sleep ${seconds[0]} &\nsleep ${seconds[1]} &\necho started\nwait`,
    shell: 'guard --name Long {0}',
    signal: controller.signal,
  });
  // Cancel once the script's background processes exist.
  const sleeping = () =>
    execFileSync('ps', ['-eo', 'args'])
      .toString()
      .split('\n')
      .filter((line) => seconds.some((n) => line.trim() === `sleep ${n}`));
  for (let i = 0; i < 100 && sleeping().length < 2; i++) await new Promise((r) => setTimeout(r, 100));
  expect(sleeping()).toHaveLength(2);
  const cancelledAt = Date.now();
  controller.abort();
  const result = await running;
  expect(result.conclusion).toBe('cancelled');
  // guard forwarded the runner's SIGINT to the step's whole process group: nothing is left behind, and it
  // ended well before the runner would have escalated to SIGTERM.
  expect(Date.now() - cancelledAt).toBeLessThan(2000);
  expect(sleeping()).toEqual([]);
  const casts = (await readdir(join(recordDir(), 'steps'))).sort();
  const text = await readFile(join(recordDir(), 'steps', casts.at(-1) ?? ''), 'utf8');
  const verified = verifyCast(text);
  expect(verified.problem).toBeUndefined();
  expect(verified.ok).toBe(true);
  expect(text).toMatch(/"x"/);
});

it('masks what the script registers with ::add-mask:: and keeps the command working for the runner', async () => {
  const result = await job.runStep({
    run: 'value="s3cr3t-$((6*7))-registered"\necho "::add-mask::$value"\necho "the value is $value"',
    shell: 'guard --name AddMask {0}',
  });
  expect(result.exitCode).toBe(0);
  expect(result.stdout).not.toContain('the value is s3cr3t-42-registered');
  expect(result.log).toContain('the value is ***');
  const events = await readFile(join(recordDir(), 'events.jsonl'), 'utf8');
  const casts = await Promise.all(
    (await readdir(join(recordDir(), 'steps'))).map((file) =>
      readFile(join(recordDir(), 'steps', file), 'utf8'),
    ),
  );
  for (const text of [events, ...casts]) expect(text).not.toContain('s3cr3t-42-registered');
});

it("masks the action's `mask` input values in the output, split across writes", async () => {
  const result = await job.runStep({
    run: "printf 'token=input-secret'; sleep 0.2; printf -- '-value-42 done\\n'",
    shell: 'guard --name Split {0}',
  });
  expect(result.exitCode).toBe(0);
  expect(result.stdout).not.toContain('input-secret-value-42');
  expect(result.stdout).toContain('done');
});

it('keeps the workflow commands of the output working (outputs, errors) and the step environment', async () => {
  const result = await job.runStep({
    run: 'echo "::error title=Broken::something failed"\necho "answer=42" >> "$GITHUB_OUTPUT"\necho "home=$HOME stepvar=$STEP_VAR"\ntest -z "$GUARD_SESSION_TOKEN" && echo "no credential in the script env"',
    shell: 'guard --name Commands {0}',
    env: { STEP_VAR: 'from-step-env' },
  });
  expect(result.exitCode).toBe(0);
  expect(result.annotations.some((annotation) => annotation.message === 'something failed')).toBe(true);
  expect(result.outputs.answer).toBe('42');
  expect(result.stdout).toContain('stepvar=from-step-env');
  expect(result.stdout).toContain('no credential in the script env');
});

it('closes stdin: a script that reads input gets end-of-file instead of hanging', async () => {
  const result = await job.runStep({
    run: 'if read -r line; then echo "read: $line"; else echo "stdin is closed"; fi',
    shell: 'guard --name Stdin {0}',
    timeoutMs: 20_000,
  });
  expect(result.stdout).toContain('stdin is closed');
});

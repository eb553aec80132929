// The runner stand-in against a throwaway node action that uses the real @actions/core: inputs, outputs,
// state, env, path, masks, summary, post, the OIDC token, cancellation and timeouts behave like the runner.
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startGitHubStandIn } from '../../github/index.js';
import type { GitHubStandIn } from '../../github/index.js';
import { createRunnerJob } from '../index.js';
import type { RunnerJob, RunnerJobOptions } from '../index.js';
import { webhookExample } from './webhook-examples.js';

const coreUrl = new URL('../../../node_modules/@actions/core/lib/core.js', import.meta.url).href;

const ACTION_YML = `
name: throwaway
inputs:
  server-url:
    description: hyphen kept in INPUT_SERVER-URL
    required: true
  display name:
    description: space becomes underscore
    default: Guard Bot
  token:
    default: \${{ github.token }}
  old:
    deprecationMessage: use server-url
outputs:
  session: { description: a session id }
runs:
  using: node24
  main: dist/main.mjs
  post: dist/post.mjs
`;

const MAIN = `
import * as core from '${coreUrl}';
import { appendFileSync } from 'node:fs';
try {
  const server = core.getInput('server-url', { required: true });
  core.setSecret('hunter2-secret');
  console.log('connecting to ' + server + ' with hunter2-secret');
  core.setOutput('session', 'sess-' + core.getInput('display name'));
  core.setOutput('multi', 'line one\\nline two');
  core.setOutput('token-seen', core.getInput('token').startsWith('ghs_') ? 'yes' : 'no');
  core.saveState('session-id', 'sess-42');
  core.exportVariable('GUARD_SESSION', 'sess-42');
  core.addPath(process.env.TOOL_DIR);
  core.warning('heads up', { file: 'deploy.sh', startLine: 3 });
  core.debug('only in debug logs');
  core.startGroup('details');
  console.log('inside group');
  core.endGroup();
  if (process.env.WANT_TOKEN === '1') core.setOutput('id-token', await core.getIDToken('guard-server'));
  await core.summary.addHeading('Guard').addRaw('hunter2-secret approved').write();
} catch (error) {
  core.setFailed(String(error));
}
`;

const POST = `
import * as core from '${coreUrl}';
console.log('post sees state ' + core.getState('session-id') + ' and env ' + process.env.GUARD_SESSION);
`;

let standIn: GitHubStandIn;
let actionDir: string;
let toolDir: string;
const jobs: RunnerJob[] = [];

beforeAll(async () => {
  standIn = await startGitHubStandIn();
  actionDir = await mkdtemp(join(tmpdir(), 'guard-action-'));
  await mkdir(join(actionDir, 'dist'));
  await writeFile(join(actionDir, 'action.yml'), ACTION_YML);
  await writeFile(join(actionDir, 'dist', 'main.mjs'), MAIN);
  await writeFile(join(actionDir, 'dist', 'post.mjs'), POST);
  toolDir = join(actionDir, 'bin');
  await mkdir(toolDir);
  // A custom shell the action "installs" on GITHUB_PATH, as guard puts itself there for `shell: guard {0}`.
  await writeFile(
    join(toolDir, 'mytool'),
    '#!/bin/sh\necho "mytool ran $1 with $GUARD_SESSION"\nexec sh -e "$1"\n',
  );
  await chmod(join(toolDir, 'mytool'), 0o755);
});

afterAll(async () => {
  await standIn.close();
  await rm(actionDir, { recursive: true, force: true });
});

afterEach(async () => {
  for (const job of jobs.splice(0)) await job.cleanup();
});

async function newJob(options: Partial<RunnerJobOptions> = {}): Promise<RunnerJob> {
  const job = await createRunnerJob({
    standIn,
    actionDir,
    inputs: { 'server-url': 'https://guard.example.com' },
    env: { TOOL_DIR: toolDir },
    cancelGrace: { sigintMs: 300, sigtermMs: 300 },
    ...options,
  });
  jobs.push(job);
  return job;
}

describe('action steps', () => {
  it('passes inputs, collects outputs/state/env/path, masks secrets and runs post with STATE_', async () => {
    const job = await newJob({ inputs: { 'server-url': 'https://guard.example.com', old: 'x', bogus: 'y' } });
    const main = await job.runMain();
    expect(main.conclusion).toBe('success');
    expect(main.stderr).toBe('');
    expect(job.outputs()).toEqual({
      session: 'sess-Guard Bot',
      multi: 'line one\nline two',
      'token-seen': 'yes',
    });
    expect(job.state()).toEqual({ 'session-id': 'sess-42' });
    expect(job.exportedEnv()).toEqual({ GUARD_SESSION: 'sess-42' });
    expect(job.path()).toEqual([toolDir]);

    // The raw stream has the secret; the runner's log does not.
    expect(main.stdout).toContain('with hunter2-secret');
    expect(main.log).toContain('connecting to https://guard.example.com with ***');
    expect(main.log).not.toContain('hunter2-secret');
    expect(main.log).not.toContain('add-mask');
    expect(main.log).toContain('##[warning]heads up');
    expect(main.annotations).toContainEqual({
      level: 'warning',
      message: 'heads up',
      properties: { file: 'deploy.sh', line: '3' },
    });
    expect(main.log).not.toContain('only in debug logs');
    expect(main.log).toMatch(/##\[group\]details\ninside group\n##\[endgroup\]/);
    expect(main.log).toContain("##[warning]Unexpected input(s) 'bogus'");
    expect(main.log).toContain("##[warning]Input 'old' has been deprecated with message: use server-url");
    expect(job.summary()).toContain('<h1>Guard</h1>');
    expect(job.summary()).toContain('*** approved');

    const post = await job.runPost();
    expect(post.conclusion).toBe('success');
    expect(post.stdout).toBe('post sees state sess-42 and env sess-42\n');
    // Post-step outputs are ignored; main's stay.
    expect(job.outputs()['session']).toBe('sess-Guard Bot');
  });

  it('fails the step when the action calls setFailed (missing required input)', async () => {
    const job = await newJob({ inputs: {} });
    const main = await job.runMain();
    expect(main.conclusion).toBe('failure');
    expect(main.exitCode).toBe(1);
    expect(main.log).toContain('##[error]Error: Input required and not supplied: server-url');
  });

  it('shows ::debug:: lines when step debug logging is on', async () => {
    const job = await newJob({ debug: true });
    const main = await job.runMain();
    expect(main.log).toContain('##[debug]only in debug logs');
    expect(job.env['RUNNER_DEBUG']).toBe('1');
  });

  it('hands out an ID token the real core client fetches, verifiable against the issuer JWKS', async () => {
    const job = await newJob({
      env: { TOOL_DIR: toolDir, WANT_TOKEN: '1' },
      claims: { environment: 'production' },
    });
    const main = await job.runMain();
    expect(main.conclusion).toBe('success');
    const token = job.outputs()['id-token'] ?? '';
    // core.getIDToken registers the token as a secret, so the runner log never shows it.
    expect(main.log).not.toContain(token);
    const { payload, protectedHeader } = await jwtVerify(
      token,
      createRemoteJWKSet(new URL(`${standIn.issuer}/.well-known/jwks`)),
      {
        issuer: standIn.issuer,
        audience: 'guard-server',
        algorithms: ['RS256'],
      },
    );
    expect(protectedHeader.kid).toBe(standIn.keys()[0]?.kid);
    expect(payload).toMatchObject({
      repository: job.env['GITHUB_REPOSITORY'],
      repository_id: job.env['GITHUB_REPOSITORY_ID'],
      run_id: job.env['GITHUB_RUN_ID'],
      run_attempt: job.env['GITHUB_RUN_ATTEMPT'],
      sha: job.env['GITHUB_SHA'],
      ref: job.env['GITHUB_REF'],
      actor: job.env['GITHUB_ACTOR'],
      workflow: job.env['GITHUB_WORKFLOW'],
      event_name: job.env['GITHUB_EVENT_NAME'],
      environment: 'production',
      sub: `repo:${job.env['GITHUB_REPOSITORY']}:environment:production`,
    });
    const lifetime = Number(payload.exp) - Number(payload.iat);
    expect(lifetime).toBeGreaterThanOrEqual(300);
    expect(lifetime).toBeLessThanOrEqual(600);
  });

  it('omits the ID-token variables without id-token: write, so core reports it like on GitHub', async () => {
    const job = await newJob({ env: { TOOL_DIR: toolDir, WANT_TOKEN: '1' }, idTokenPermission: false });
    const main = await job.runMain();
    expect(job.env['ACTIONS_ID_TOKEN_REQUEST_URL']).toBeUndefined();
    expect(main.conclusion).toBe('failure');
    expect(main.log).toContain('Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable');
  });

  it('derives the job from a published webhook example payload', async () => {
    const payload = (await webhookExample('pull_request')) as {
      number: number;
      repository: { full_name: string; id: number };
      pull_request: { head: { ref: string } };
    };
    const job = await newJob({
      eventName: 'pull_request',
      eventPayload: payload as unknown as Record<string, unknown>,
      claims: { environment: undefined },
    });
    expect(job.env['GITHUB_REPOSITORY']).toBe(payload.repository.full_name);
    expect(job.env['GITHUB_REPOSITORY_ID']).toBe(String(payload.repository.id));
    expect(job.env['GITHUB_REF']).toBe(`refs/pull/${payload.number}/merge`);
    expect(job.env['GITHUB_HEAD_REF']).toBe(payload.pull_request.head.ref);
    expect(job.env['GITHUB_EVENT_NAME']).toBe('pull_request');
    expect(job.claims.sub).toBe(`repo:${payload.repository.full_name}:pull_request`);
    const step = await job.runStep({
      run: 'node -p "require(process.env.GITHUB_EVENT_PATH).pull_request.number"',
      shell: 'bash',
    });
    expect(step.stdout.trim()).toBe(String(payload.number));
  });
});

describe('run steps', () => {
  it('sees GITHUB_ENV exports, resolves a shell from GITHUB_PATH and numbers GITHUB_ACTION', async () => {
    const job = await newJob();
    await job.runMain();
    const first = await job.runStep({
      run: 'echo "action=$GITHUB_ACTION session=$GUARD_SESSION"',
      shell: 'bash',
    });
    expect(first.stdout).toBe('action=__run session=sess-42\n');
    const second = await job.runStep({ run: 'echo "second=$GITHUB_ACTION"', shell: 'mytool {0}' });
    expect(second.conclusion).toBe('success');
    expect(second.stdout).toMatch(/^mytool ran .*_temp\/[0-9a-f-]{36} with sess-42\nsecond=__run_2\n$/);
  });

  it('applies step outputs and env from heredocs and keeps masks across steps', async () => {
    const job = await newJob();
    await job.runMain();
    const step = await job.runStep({
      shell: 'bash',
      run: [
        'echo "::add-mask::tok-987"',
        '{ echo "note<<EOF"; echo "a"; echo "b"; echo "EOF"; } >> "$GITHUB_OUTPUT"',
        'echo "LATER=x=y" >> "$GITHUB_ENV"',
        'echo "hunter2-secret and tok-987 in a later step"',
      ].join('\n'),
    });
    expect(step.outputs).toEqual({ note: 'a\nb' });
    expect(job.outputs(step.id)).toEqual({ note: 'a\nb' });
    expect(job.exportedEnv()['LATER']).toBe('x=y');
    expect(step.log).toContain('*** and *** in a later step');
  });

  it('fails a step whose heredoc never closes, naming the delimiter', async () => {
    const job = await newJob();
    const step = await job.runStep({
      run: 'echo "x<<EOF" >> "$GITHUB_OUTPUT"; echo "value" >> "$GITHUB_OUTPUT"',
      shell: 'bash',
    });
    expect(step.conclusion).toBe('failure');
    expect(step.log).toContain("##[error]Unable to process file command 'output' successfully.");
    expect(step.log).toContain("Matching delimiter not found 'EOF'");
  });

  it('reports a non-zero exit like the runner', async () => {
    const job = await newJob();
    const step = await job.runStep({ run: 'false\necho never', shell: 'bash' });
    expect(step.conclusion).toBe('failure');
    expect(step.exitCode).toBe(1);
    expect(step.stdout).toBe('');
    expect(step.log).toContain('##[error]Process completed with exit code 1.');
  });

  it('fails when the shell command is not on PATH', async () => {
    const job = await newJob();
    const step = await job.runStep({ run: 'echo hi', shell: 'guard-not-installed {0}' });
    expect(step.conclusion).toBe('failure');
    expect(step.exitCode).toBeNull();
    expect(step.log).toContain('Unable to locate executable file: guard-not-installed');
  });

  it('refuses set-env and add-path commands and fails the step', async () => {
    const job = await newJob();
    const step = await job.runStep({ run: 'echo "::set-env name=A::1"', shell: 'bash' });
    expect(step.conclusion).toBe('failure');
    expect(step.log).toContain('The `set-env` command is disabled');
  });

  it('ignores commands between stop-commands and the resume token', async () => {
    const job = await newJob();
    const step = await job.runStep({
      run: 'echo "::stop-commands::pause1"\necho "::error::not an error"\necho "::pause1::"\necho "::error::real"',
      shell: 'bash',
    });
    expect(step.log).toContain('::error::not an error');
    expect(step.annotations).toEqual([{ level: 'error', message: 'real', properties: {} }]);
  });

  it('cancels with SIGINT first, so the script can clean up', async () => {
    const job = await newJob();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 400);
    const step = await job.runStep({
      run: "trap 'echo cleaning up; exit 130' INT\necho started\nwhile true; do sleep 0.05; done",
      shell: 'bash',
      signal: controller.signal,
    });
    expect(step.conclusion).toBe('cancelled');
    expect(step.stdout).toBe('started\ncleaning up\n');
    expect(step.exitCode).toBe(130);
    expect(step.log).toContain('##[error]The operation was canceled.');
  });

  it('escalates to SIGTERM when SIGINT is ignored, and cleanup kills what the step left behind', async () => {
    const job = await newJob();
    const controller = new AbortController();
    const markerDir = await mkdtemp(join(tmpdir(), 'guard-orphan-'));
    const marker = join(markerDir, 'alive');
    setTimeout(() => controller.abort(), 400);
    const step = await job.runStep({
      run: `trap '' INT\n(while true; do touch ${marker}; sleep 0.05; done) &\nsleep 30`,
      shell: 'bash',
      signal: controller.signal,
    });
    expect(step.conclusion).toBe('cancelled');
    expect(step.signal).toBe('SIGTERM');
    // The background loop outlives the step (as on a runner) until the job ends.
    await rm(marker, { force: true });
    await new Promise((r) => setTimeout(r, 300));
    expect(existsSync(marker)).toBe(true);
    jobs.splice(jobs.indexOf(job), 1);
    await job.cleanup();
    await new Promise((r) => setTimeout(r, 100));
    await rm(marker, { force: true });
    await new Promise((r) => setTimeout(r, 300));
    expect(existsSync(marker)).toBe(false);
    await rm(markerDir, { recursive: true, force: true });
  });

  it('times out like timeout-minutes', async () => {
    const job = await newJob();
    const step = await job.runStep({ run: 'sleep 30', shell: 'bash', timeoutMs: 300 });
    expect(step.conclusion).toBe('failure');
    expect(step.log).toMatch(/##\[error\]The action '.*' has timed out after/);
  });
});

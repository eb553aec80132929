// The job-started hook: report the job to the guard server with the runner's credential, wait for its
// approval when policy asks for one, and exit non-zero (so no step runs) when the job is refused, the
// approval is denied or expires, the server cannot be reached, or the hook's time limit passes.
import { readFile } from 'node:fs/promises';
import { describeError, GuardError } from '../lib/errors.js';
import { exportToJob, hookDeadline, hookOutput, type HookOutput } from './hook-output.js';
import { readHookSettings } from './hook-settings.js';
import { jobReportFromEnv } from './job-report.js';
import type { RunnerApprovalView } from './protocol.js';
import { RunnerClient, timeLimit } from './runner-client.js';

/** Seconds one long-poll asks the server to hold (the server caps it at its --max-wait). */
const WAIT_SEC = 25;

export async function runJobStarted(
  env: NodeJS.ProcessEnv,
  stdout: NodeJS.WritableStream = process.stdout,
): Promise<number> {
  const out = hookOutput(stdout);
  let clear = () => {};
  try {
    const settings = await readHookSettings(env, 'started');
    const deadline = hookDeadline(
      settings.timeoutMs,
      () =>
        new GuardError(
          'APPROVAL_EXPIRED',
          `guard runner hook: no decision within the hook's time limit of ${settings.timeoutMs / 1000}s (GUARD_RUNNER_HOOK_TIMEOUT); the job is refused. Re-run the job once a reviewer is available`,
        ),
    );
    clear = deadline.clear;
    const report = jobReportFromEnv(env, await readEventPayload(env.GITHUB_EVENT_PATH));
    const client = new RunnerClient(settings.server, settings.credential, { signal: deadline.signal });
    out.info(
      `guard: asking ${settings.server} whether this runner may run job ${report.job} of ${report.repository} ` +
        `(run ${report.runId}/${report.runAttempt}, ${report.eventName} on ${report.ref}, workflow ${report.workflowRef})`,
    );
    const started = await client.jobStarted(report);
    out.info(`guard: ${started.reason} (runner ${started.job.runner}, job ${started.job.id})`);
    if (started.approval) await waitUntilApproved(client, started.approval, out, deadline.signal);
    if (started.requireGuard)
      out.info(
        'guard: policy requires guard here: the job fails at the end unless its risky steps run with `shell: guard {0}`',
      );
    await exportToJob(env, {
      GUARD_RUNNER_JOB: started.job.id,
      ...(started.requireGuard ? { GUARD_REQUIRED: 'true' } : {}),
    });
    out.info('guard: the job may start');
    return 0;
  } catch (error) {
    out.error(describeError(error));
    out.info('guard: no step of this job will run');
    return 1;
  } finally {
    clear();
  }
}

async function waitUntilApproved(
  client: RunnerClient,
  first: RunnerApprovalView,
  out: HookOutput,
  signal: AbortSignal,
): Promise<void> {
  let state = first;
  if (state.status === 'pending')
    out.info(
      `guard: this job needs ${state.required} approval(s) from ${state.reviewers.join(', ') || 'a reviewer'} before it starts; ` +
        `approval ${state.id} expires at ${state.expiresAt}. Approve on the pull request, the review page, or with \`guard approve ${state.id}\``,
    );
  while (state.status === 'pending') {
    if (signal.aborted) throw timeLimit(signal);
    state = await client.waitForApproval(state.id, WAIT_SEC);
  }
  const who = state.votes.map((vote) => `${vote.reviewer} (${vote.channel})`).join(', ');
  if (state.status === 'approved') {
    out.info(`guard: job approved by ${who}`);
    return;
  }
  if (state.status === 'denied')
    throw new GuardError(
      'APPROVAL_DENIED',
      `guard: the job was denied (approval ${state.id}: ${state.reason ?? `by ${who}`}); it will not run`,
    );
  throw new GuardError(
    'APPROVAL_EXPIRED',
    `guard: approval ${state.id} for this job expired at ${state.expiresAt} with no decision; ask a reviewer to watch for it and re-run the job`,
  );
}

export async function readEventPayload(path: string | undefined): Promise<unknown> {
  if (!path) return {};
  try {
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch (error) {
    throw new GuardError('BAD_INPUT', `guard runner hook: cannot read the event payload at ${path}`, {
      cause: error,
    });
  }
}

// Job started: the server decides from policy whether this runner may run this job, and whether a reviewer
// must approve it first. Idempotent: the hook may call again for the same job and gets the same answer
// (and the same approval), never a second request.
import { newId, sha256Hex } from '../../lib/digest.js';
import { GuardError } from '../../lib/errors.js';
import type { JobReport, JobStartedResponse, RunnerApprovalView } from '../../runner-hook/protocol.js';
import {
  announceRequested,
  createApproval,
  getApproval,
  waitForApproval,
  type ApprovalState,
} from '../approvals.js';
import type { ServerContext } from '../context.js';
import { recordEvent } from '../events.js';
import type { Queryable } from '../storage/database.js';
import { claimsFromReport, contextFromReport } from './job-claims.js';
import { parseJobReport } from './report-input.js';
import type { RunnerIdentity } from './runner-credentials.js';
import { decideRunnerJob } from './runner-policy.js';

export interface RunnerJobRow {
  id: string;
  runner_id: string;
  repository: string;
  repository_id: string;
  run_id: string;
  run_attempt: string;
  job: string;
  report: JobReport;
  decision: 'allow' | 'require-approval' | 'refuse';
  reason: string;
  policy: string | null;
  require_guard: boolean;
  approval_id: string | null;
  status: 'running' | 'waiting' | 'refused' | 'completed' | 'abandoned';
  outcome: Record<string, unknown> | null;
  created_at: Date;
}

const OPEN_STATUSES = ['running', 'waiting'];

export async function reportJobStarted(
  ctx: ServerContext,
  runner: RunnerIdentity,
  input: unknown,
): Promise<JobStartedResponse> {
  const report = parseJobReport((input as { report?: unknown } | undefined)?.report);
  const existing = await latestRunnerJob(ctx.db, runner, report);
  if (existing && (OPEN_STATUSES.includes(existing.status) || existing.status === 'refused')) {
    if (existing.status === 'refused') throw new GuardError('POLICY_DENIED', existing.reason);
    return respond(ctx, runner, existing);
  }
  // A runner runs one job at a time: a job of this runner still open was never completed (the runner
  // crashed or was killed); it is closed now so its approval cannot release anything later.
  await ctx.db.query(
    `update runner_jobs set status = 'abandoned', completed_at = now() where runner_id = $1 and status = any($2)`,
    [runner.id, OPEN_STATUSES],
  );

  const claims = claimsFromReport(report, runner);
  const verdict = decideRunnerJob(ctx.policies, claims, contextFromReport(report), runner);
  const id = newId();
  const key = [
    id,
    runner.id,
    report.repository,
    report.repositoryId,
    report.runId,
    report.runAttempt,
    report.job,
  ];
  const insert = (
    tx: Queryable,
    fields: {
      decision: string;
      reason: string;
      policy: string | null;
      requireGuard: boolean;
      approvalId: string | null;
      status: string;
    },
  ) =>
    tx.query(
      `insert into runner_jobs (id, runner_id, repository, repository_id, run_id, run_attempt, job, report, decision, reason, policy, require_guard, approval_id, status)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [
        ...key,
        JSON.stringify(report),
        fields.decision,
        fields.reason,
        fields.policy,
        fields.requireGuard,
        fields.approvalId,
        fields.status,
      ],
    );
  const who = {
    runner: runner.name,
    repository: report.repository,
    run_id: report.runId,
    run_attempt: report.runAttempt,
    job: report.job,
    ref: report.ref,
    workflow_ref: report.workflowRef,
    event_name: report.eventName,
    actor: report.actor,
  };

  if (verdict.action === 'refuse') {
    await ctx.db.transaction(async (tx) => {
      await insert(tx, {
        decision: 'refuse',
        reason: verdict.reason,
        policy: verdict.policy,
        requireGuard: false,
        approvalId: null,
        status: 'refused',
      });
      await recordEvent(tx, null, 'security.refused', {
        stage: 'runner-job',
        code: 'POLICY_DENIED',
        job_id: id,
        reason: verdict.reason,
        ...who,
      });
    });
    ctx.log(
      `refused (runner-job): ${runner.name} ${report.repository} run ${report.runId} job ${report.job}`,
    );
    throw new GuardError('POLICY_DENIED', verdict.reason);
  }

  const approvalId = await ctx.db.transaction(async (tx) => {
    const approval =
      verdict.action === 'require-approval'
        ? await createApproval(tx, ctx, {
            kind: 'job',
            repository: report.repository,
            runId: report.runId,
            runAttempt: report.runAttempt,
            actor: report.actor,
            triggeringActor: report.triggeringActor,
            title: `job ${report.job} on runner ${runner.name}`,
            body: describeJob(report, runner),
            digest: jobDigest(report, runner),
            context: {
              job: report.job,
              sha: report.sha,
              ref: report.ref,
              workflow: report.workflow,
              workflow_ref: report.workflowRef,
              runner: runner.name,
              reason: verdict.reason,
              ...(report.pullRequestNumber === undefined ? {} : { pull_request: report.pullRequestNumber }),
            },
            rules: verdict.policy.approvals,
          })
        : null;
    await insert(tx, {
      decision: verdict.action,
      reason: verdict.reason,
      policy: verdict.policy.name,
      requireGuard: verdict.requireGuard,
      approvalId: approval,
      status: approval ? 'waiting' : 'running',
    });
    await recordEvent(tx, null, 'runner.job.started', {
      job_id: id,
      decision: verdict.action,
      policy: verdict.policy.name,
      require_guard: verdict.requireGuard,
      approval,
      ...who,
    });
    return approval;
  });
  if (approvalId) await announceRequested(ctx, approvalId);
  const row = await loadRunnerJob(ctx.db, runner, id);
  return respond(ctx, runner, row);
}

/** Long-poll for the runner: the job's approval, decided or still pending after `timeoutMs`. */
export async function waitRunnerApproval(
  ctx: ServerContext,
  runner: RunnerIdentity,
  approvalId: string,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<RunnerApprovalView> {
  const { rows } = await ctx.db.query<RunnerJobRow>(
    'select * from runner_jobs where approval_id = $1 and runner_id = $2',
    [approvalId, runner.id],
  );
  const row = rows[0];
  if (!row)
    throw new GuardError('NOT_FOUND', `guard: approval ${approvalId} is not for a job of this runner`);
  const state = await waitForApproval(ctx, approvalId, timeoutMs, signal);
  await settleWaitingJob(ctx, row, state);
  return approvalView(state);
}

/** Moves a waiting job on once its approval is decided; the refusal is recorded once. */
async function settleWaitingJob(ctx: ServerContext, row: RunnerJobRow, state: ApprovalState): Promise<void> {
  if (state.status === 'pending') return;
  const status = state.status === 'approved' ? 'running' : 'refused';
  const reason =
    state.status === 'approved'
      ? row.reason
      : `approval ${state.id} ${state.status}: ${state.reason ?? ''}`.trim();
  const updated = await ctx.db.query(
    `update runner_jobs set status = $2, reason = $3 where id = $1 and status = 'waiting'`,
    [row.id, status, reason],
  );
  if (updated.rowCount > 0 && status === 'refused')
    await recordEvent(ctx.db, null, 'security.refused', {
      stage: 'runner-job-approval',
      code: state.status === 'expired' ? 'APPROVAL_EXPIRED' : 'APPROVAL_DENIED',
      job_id: row.id,
      approval: state.id,
      repository: row.repository,
      run_id: row.run_id,
      job: row.job,
    });
}

async function respond(
  ctx: ServerContext,
  runner: RunnerIdentity,
  row: RunnerJobRow,
): Promise<JobStartedResponse> {
  const approval = row.approval_id ? await getApproval(ctx, row.approval_id) : null;
  if (approval) await settleWaitingJob(ctx, row, approval);
  return {
    job: { id: row.id, runner: runner.name },
    decision: row.decision === 'require-approval' ? 'require-approval' : 'allow',
    reason: row.reason,
    policy: row.policy ?? '',
    requireGuard: row.require_guard,
    approval: approval ? approvalView(approval) : null,
  };
}

export function approvalView(state: ApprovalState): RunnerApprovalView {
  return {
    id: state.id,
    status: state.status,
    required: state.required,
    reviewers: state.reviewers,
    expiresAt: state.expiresAt,
    reason: state.reason,
    votes: state.votes.map(({ reviewer, decision, channel, comment }) => ({
      reviewer,
      decision,
      channel,
      comment,
    })),
  };
}

export async function latestRunnerJob(
  db: Queryable,
  runner: RunnerIdentity,
  report: Pick<JobReport, 'repositoryId' | 'runId' | 'runAttempt' | 'job'>,
): Promise<RunnerJobRow | undefined> {
  const { rows } = await db.query<RunnerJobRow>(
    `select * from runner_jobs where runner_id = $1 and repository_id = $2 and run_id = $3 and run_attempt = $4 and job = $5
     order by created_at desc, id limit 1`,
    [runner.id, report.repositoryId, report.runId, report.runAttempt, report.job],
  );
  return rows[0];
}

export async function loadRunnerJob(
  db: Queryable,
  runner: RunnerIdentity,
  id: string,
): Promise<RunnerJobRow> {
  const { rows } = await db.query<RunnerJobRow>(
    'select * from runner_jobs where id = $1 and runner_id = $2',
    [id, runner.id],
  );
  const row = rows[0];
  if (!row) throw new GuardError('NOT_FOUND', `guard: job ${id} was not reported by this runner`);
  return row;
}

/** What the reviewer reads: the job, where it comes from, and where it would run. */
function describeJob(report: JobReport, runner: RunnerIdentity): string {
  return [
    `job ${report.job} of ${report.repository}, run ${report.runId} attempt ${report.runAttempt}`,
    `workflow: ${report.workflowRef}`,
    `ref: ${report.ref} (sha ${report.sha})`,
    `event: ${report.eventName}, actor: ${report.actor}${report.triggeringActor !== report.actor ? `, triggered by ${report.triggeringActor}` : ''}`,
    `runner: ${runner.name}${runner.labels.length > 0 ? ` (labels: ${runner.labels.join(', ')})` : ''}`,
  ].join('\n');
}

/** What is approved: this run's job at this commit and workflow, on this runner. */
function jobDigest(report: JobReport, runner: RunnerIdentity): string {
  return sha256Hex(
    JSON.stringify([
      report.repositoryId,
      report.runId,
      report.runAttempt,
      report.job,
      report.sha,
      report.workflowRef,
      runner.name,
    ]),
  );
}

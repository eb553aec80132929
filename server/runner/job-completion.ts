// Job completed: close the guard sessions the action's post step left open, hold the job to require-guard,
// and ask for the recordings the server does not have yet. Idempotent: a second report changes nothing
// and answers the same.
import { GuardError } from '../../lib/errors.js';
import type { JobCompletedResponse, LocalSession, RequireGuardVerdict } from '../../runner-hook/protocol.js';
import type { ServerContext } from '../context.js';
import { recordEvent } from '../events.js';
import type { Queryable } from '../storage/database.js';
import { parseJobReport, parseLocalSessions } from './report-input.js';
import type { RunnerIdentity } from './runner-credentials.js';
import { latestRunnerJob, type RunnerJobRow } from './runner-jobs.js';

interface JobSession {
  id: string;
  status: string;
  manifest_sha256: string | null;
}

export async function reportJobCompleted(
  ctx: ServerContext,
  runner: RunnerIdentity,
  input: unknown,
): Promise<JobCompletedResponse> {
  const body = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const report = parseJobReport(body.report);
  const local = parseLocalSessions(body.sessions);
  const row = await latestRunnerJob(ctx.db, runner, report);
  if (!row)
    throw new GuardError(
      'NOT_FOUND',
      `guard: runner ${runner.name} never reported job ${report.job} of run ${report.runId}/${report.runAttempt} as started; is the job-started hook installed on this runner?`,
    );
  const first = row.status !== 'completed' && row.outcome === null;
  const sessions = await sessionsOfJob(ctx.db, row, local);

  const closedSessions: string[] = [];
  await ctx.db.transaction(async (tx) => {
    for (const session of sessions.filter((s) => s.status === 'open')) {
      const closed = await tx.query(
        `update sessions set status = 'closed', closed_at = now() where id = $1 and status = 'open'`,
        [session.id],
      );
      if (closed.rowCount === 0) continue;
      await tx.query(
        `update approvals set status = 'expired', decided_at = now(), reason = 'session closed' where session_id = $1 and status = 'pending'`,
        [session.id],
      );
      await recordEvent(tx, session.id, 'session.closed', {
        manifest_sha256: null,
        closed_by: 'runner-hook',
        runner: runner.name,
        reason: "the job ended without the action's post step closing the session (cancelled or failed)",
      });
      closedSessions.push(session.id);
    }
    // A job that ended while still waiting for its approval can never be released by it.
    if (row.approval_id)
      await tx.query(
        `update approvals set status = 'expired', decided_at = now(), reason = 'the job completed before a decision' where id = $1 and status = 'pending'`,
        [row.approval_id],
      );
  });
  if (row.approval_id) await ctx.waiters.announce(row.approval_id);

  const requireGuard = await requireGuardVerdict(ctx.db, row, sessions);
  const wanted = await wantedFiles(ctx.db, sessions, local);
  const outcome = {
    sessions: sessions.map((s) => s.id),
    closed_sessions: closedSessions,
    closed_by_post: sessions.filter((s) => s.manifest_sha256 !== null).map((s) => s.id),
    require_guard: requireGuard,
    recordings_wanted: wanted.length,
  };
  await ctx.db.transaction(async (tx) => {
    await tx.query(
      `update runner_jobs set status = case when status = 'refused' then status else 'completed' end,
         completed_at = coalesce(completed_at, now()), outcome = $2 where id = $1`,
      [row.id, JSON.stringify(outcome)],
    );
    if (!first) return;
    await recordEvent(tx, null, 'runner.job.completed', {
      job_id: row.id,
      runner: runner.name,
      repository: row.repository,
      run_id: row.run_id,
      run_attempt: row.run_attempt,
      job: row.job,
      ...outcome,
    });
    if (requireGuard.required && !requireGuard.satisfied)
      await recordEvent(tx, null, 'security.refused', {
        stage: 'runner-require-guard',
        code: 'POLICY_DENIED',
        job_id: row.id,
        runner: runner.name,
        repository: row.repository,
        run_id: row.run_id,
        job: row.job,
        reason: requireGuard.message,
      });
  });
  return { job: { id: row.id, runner: runner.name }, closedSessions, requireGuard, wanted };
}

/**
 * The sessions of this job: named by the hook (they are in this runner's RUNNER_TEMP, which tells matrix
 * legs on other runners apart), of this run and job, and opened after this runner started the job.
 */
async function sessionsOfJob(db: Queryable, row: RunnerJobRow, local: LocalSession[]): Promise<JobSession[]> {
  if (local.length === 0) return [];
  const { rows } = await db.query<JobSession>(
    `select id, status, manifest_sha256 from sessions
      where id = any($1) and repository_id = $2 and run_id = $3 and run_attempt = $4 and job = $5 and created_at >= $6
      order by created_at`,
    [local.map((s) => s.id), row.repository_id, row.run_id, row.run_attempt, row.job, row.created_at],
  );
  return rows;
}

async function requireGuardVerdict(
  db: Queryable,
  row: RunnerJobRow,
  sessions: JobSession[],
): Promise<RequireGuardVerdict> {
  const counted = await db.query<{ n: number }>(
    'select count(*)::int as n from steps where session_id = any($1)',
    [sessions.map((s) => s.id)],
  );
  const guardedSteps = counted.rows[0]?.n ?? 0;
  if (!row.require_guard)
    return { required: false, satisfied: true, guardedSteps, message: 'guard is not required for this job' };
  if (guardedSteps > 0)
    return {
      required: true,
      satisfied: true,
      guardedSteps,
      message: `policy ${row.policy ?? ''} requires guard on this runner: ${guardedSteps} step(s) ran through guard`,
    };
  return {
    required: true,
    satisfied: false,
    guardedSteps,
    message:
      `policy ${row.policy ?? ''} requires the steps of jobs on this runner to run through guard, and none did` +
      `${sessions.length === 0 ? ' (no guard session was opened: add `uses: hoop/guard@v1`)' : ' (add `shell: guard {0}` to the risky steps)'}; the job is failed`,
  };
}

/** Files the server has no complete copy of with this digest; a changed partial upload starts again. */
async function wantedFiles(
  db: Queryable,
  sessions: JobSession[],
  local: LocalSession[],
): Promise<{ session: string; path: string }[]> {
  const ours = new Set(sessions.map((s) => s.id));
  const wanted: { session: string; path: string }[] = [];
  for (const session of local.filter((s) => ours.has(s.id))) {
    const { rows } = await db.query<{ path: string; sha256: string; complete: boolean }>(
      'select path, sha256, complete from runner_recordings where session_id = $1',
      [session.id],
    );
    const held = new Map(rows.map((r) => [r.path, r]));
    for (const file of session.files) {
      const have = held.get(file.path);
      if (have?.complete && have.sha256 === file.sha256) continue;
      if (have?.complete) {
        // Evidence already shipped is never replaced; a different file under the same name is recorded.
        await recordEvent(db, session.id, 'recording.conflict', {
          path: file.path,
          held_sha256: have.sha256,
          offered_sha256: file.sha256,
        });
        continue;
      }
      wanted.push({ session: session.id, path: file.path });
    }
  }
  return wanted;
}

// Ties a job to the deployment protection rule approval that let it start. GitHub asks guard's gate before
// a job that targets a protected environment gets a runner, so by the time the job's session opens the
// approval is decided but belongs to no session. Linking it (approvals.session_id) puts who approved the
// deployment into that job's evidence, and the server checks the manifest's copy before signing it.
import { approvalRecord, type DeploymentRecord } from '../audit/manifest.js';
import type { JobClaims } from '../lib/claims.js';
import { approvalVotes } from './approvals.js';
import type { Queryable } from './storage/database.js';

/**
 * Links the latest approved deployment approval of the job's run and environment that no other job has
 * taken yet. Several jobs of one run may target the same environment; GitHub's request does not say
 * which job it is for, so each session takes the newest one left (they were all approved for this run,
 * commit and environment).
 */
export async function linkDeploymentApproval(
  tx: Queryable,
  sessionId: string,
  claims: JobClaims,
): Promise<string | undefined> {
  if (!claims.environment) return undefined;
  const { rows } = await tx.query<{ id: string }>(
    `update approvals set session_id = $1
      where id = (select id from approvals
                   where kind = 'deployment' and repository = $2 and run_id = $3
                     and context->>'environment' = $4 and status = 'approved' and session_id is null
                   order by decided_at desc, id limit 1)
      returning id`,
    [sessionId, claims.repository, claims.run_id, claims.environment],
  );
  return rows[0]?.id;
}

/** The session's deployment approval as the manifest records it, or null. */
export async function deploymentRecord(tx: Queryable, sessionId: string): Promise<DeploymentRecord | null> {
  const { rows } = await tx.query<{
    id: string;
    context: Record<string, unknown>;
    status: string;
    decided_at: Date | null;
  }>(
    `select id, context, status, decided_at from approvals
      where kind = 'deployment' and session_id = $1 order by decided_at desc, id limit 1`,
    [sessionId],
  );
  const row = rows[0];
  if (!row) return null;
  const deploymentId = row.context.deployment_id;
  return {
    approval: row.id,
    environment: text(row.context.environment),
    ...(typeof deploymentId === 'number' ? { deploymentId } : {}),
    sha: text(row.context.sha),
    decision: row.status === 'approved' ? 'approved' : 'rejected',
    decidedAt: row.decided_at?.toISOString() ?? '',
    approvals: (await approvalVotes(tx, row.id)).map(approvalRecord),
  };
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

// Guarded steps: the policy decision before a step runs, the release that lets it run (only for the exact
// script that was judged and approved), and its outcome.
import { newId } from '../lib/digest.js';
import { GuardError } from '../lib/errors.js';
import type { UpstreamConfig } from '../pg-proxy/upstream.js';
import { databaseRegistered, releaseDatabase } from './databases.js';
import { releaseSshTarget, sshTargetRegistered } from './ssh/ssh-targets.js';
import type { SshTarget } from '../ssh/ssh-target.js';
import { createMasker } from '../masking/masker.js';
import { decideStep, type StepKind } from './policy-source.js';
import { announceRequested, createApproval, getApproval, type ApprovalState } from './approvals.js';
import type { ServerContext } from './context.js';
import { recordEvent } from './events.js';
import type { SessionRow } from './sessions.js';

export interface StepRegistration {
  step: { id: string; seq: number; name: string };
  decision: { action: 'allow' | 'require-approval' | 'block'; rule: string | null; reason: string };
  approval: ApprovalState | null;
}

const KINDS: readonly StepKind[] = ['shell', 'db', 'ssh'];

export async function registerStep(
  ctx: ServerContext,
  session: SessionRow,
  input: { name?: unknown; kind?: unknown; target?: unknown; script?: unknown; scriptSha256?: unknown },
): Promise<StepRegistration> {
  if (typeof input.script !== 'string')
    throw new GuardError('BAD_INPUT', 'guard: the step script is missing');
  const kind = (input.kind ?? 'shell') as StepKind;
  if (!KINDS.includes(kind))
    throw new GuardError('BAD_INPUT', `guard: step kind must be one of ${KINDS.join(', ')}`);
  const name = typeof input.name === 'string' && input.name.trim() ? input.name.trim().slice(0, 200) : 'step';
  const target = typeof input.target === 'string' && input.target ? input.target : undefined;
  if (kind !== 'shell' && !target)
    throw new GuardError('BAD_INPUT', `guard: a ${kind} step needs a target name`);
  // Fail before anyone is asked to approve a step that could never get its connection.
  if (kind === 'db' && target && !(await databaseRegistered(ctx.db, target))) {
    throw new GuardError(
      'NOT_FOUND',
      `guard: no database '${target}' is registered on the guard server; the platform team adds it with \`guard server db add ${target} --url ...\``,
    );
  }
  if (kind === 'ssh' && target && !(await sshTargetRegistered(ctx.db, target))) {
    throw new GuardError(
      'NOT_FOUND',
      `guard: no SSH target '${target}' is registered on the guard server; the platform team adds it with \`guard server ssh add ${target} --host HOST --user USER --key FILE --host-key '...'\``,
    );
  }
  // The client sends the script already masked with the secrets only it knows, and the digest of the raw
  // script; it must present the same digest to be released, so the script judged (and approved) is the
  // script that runs.
  if (typeof input.scriptSha256 !== 'string' || !/^[0-9a-f]{64}$/.test(input.scriptSha256)) {
    throw new GuardError('BAD_INPUT', 'guard: scriptSha256 (hex sha256 of the raw script) is missing');
  }
  const scriptSha256 = input.scriptSha256;
  const decision = decideStep(session.policy, {
    name,
    kind,
    script: input.script,
    ...(target ? { target } : {}),
  });
  // Masked before it persists: the stored and displayed script never holds a secret or personal data.
  const masked = createMasker({
    packs: session.policy.masking.packs,
    rules: session.policy.masking.rules,
  }).maskText(input.script);
  const stepId = newId();

  const { seq, approvalId } = await ctx.db.transaction(async (tx) => {
    const next = await tx.query<{ seq: number }>(
      'select coalesce(max(seq), 0) + 1 as seq from steps where session_id = $1',
      [session.id],
    );
    const seq = next.rows[0]?.seq ?? 1;
    const status =
      decision.action === 'block' ? 'blocked' : decision.action === 'allow' ? 'released' : 'waiting';
    await tx.query(
      `insert into steps (id, session_id, seq, name, kind, target, script_sha256, script_masked, decision, rule, reason, status)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        stepId,
        session.id,
        seq,
        name,
        kind,
        target ?? null,
        scriptSha256,
        masked,
        decision.action,
        decision.rule ?? null,
        decision.reason,
        status,
      ],
    );
    await recordEvent(tx, session.id, 'step.registered', {
      step: stepId,
      seq,
      name,
      kind,
      target,
      script_sha256: scriptSha256,
      decision: decision.action,
      rule: decision.rule,
      reason: decision.reason,
    });
    const approvalId =
      decision.action === 'require-approval'
        ? await createApproval(tx, ctx, {
            kind: 'step',
            stepId,
            ...approvalOrigin(session),
            title: `step ${name}`,
            body: masked,
            digest: scriptSha256,
            context: {
              ...approvalContext(session),
              reason: decision.reason,
            },
            rules: session.policy.approvals,
          })
        : null;
    return { seq, approvalId };
  });
  if (approvalId) await announceRequested(ctx, approvalId);
  return {
    step: { id: stepId, seq, name },
    decision: { action: decision.action, rule: decision.rule ?? null, reason: decision.reason },
    approval: approvalId ? await getApproval(ctx, approvalId) : null,
  };
}

/** Releases a step to run. Fails closed unless policy allowed it or its approval is granted for this exact script. */
export async function startStep(
  ctx: ServerContext,
  session: SessionRow,
  stepId: string,
  input: { scriptSha256?: unknown },
): Promise<{ released: true; database?: UpstreamConfig; ssh?: SshTarget }> {
  const step = await loadStep(ctx, session, stepId);
  if (input.scriptSha256 !== step.script_sha256) {
    throw new GuardError(
      'APPROVAL_DRIFT',
      `guard: step '${step.name}' changed after it was judged; a changed script needs a new decision`,
    );
  }
  if (step.decision === 'block') {
    throw new GuardError(
      'POLICY_DENIED',
      `guard: step '${step.name}' is blocked by policy (${step.rule ?? 'policy'}: ${step.reason})`,
    );
  }
  if (step.decision === 'require-approval') {
    const { rows } = await ctx.db.query<{ id: string }>(
      `select id from approvals where step_id = $1 and kind = 'step'`,
      [stepId],
    );
    const approval = rows[0] ? await getApproval(ctx, rows[0].id) : undefined;
    if (approval?.status !== 'approved' || approval.digest !== step.script_sha256) {
      const status = approval?.status ?? 'missing';
      throw new GuardError(
        status === 'expired' ? 'APPROVAL_EXPIRED' : 'APPROVAL_DENIED',
        `guard: step '${step.name}' is not approved (approval ${approval?.id ?? '-'} is ${status})`,
      );
    }
  }
  const updated = await ctx.db.query(
    `update steps set status = 'running', started_at = now() where id = $1 and status in ('released', 'waiting')`,
    [stepId],
  );
  if (updated.rowCount === 0)
    throw new GuardError(
      'SESSION_CLOSED',
      `guard: step '${step.name}' was already started; a decision releases one run`,
    );
  await recordEvent(ctx.db, session.id, 'step.started', { step: stepId, seq: step.seq });
  if (step.kind === 'db' && step.target) {
    // The registered connection leaves the server only here: for this session, for this released step.
    const database = await releaseDatabase(ctx.db, ctx.secrets, step.target);
    await recordEvent(ctx.db, session.id, 'credential.released', {
      step: stepId,
      seq: step.seq,
      database: step.target,
    });
    return { released: true, database };
  }
  if (step.kind === 'ssh' && step.target) {
    const ssh = await releaseSshTarget(ctx.db, ctx.secrets, step.target);
    await recordEvent(ctx.db, session.id, 'credential.released', {
      step: stepId,
      seq: step.seq,
      ssh: step.target,
    });
    return { released: true, ssh };
  }
  return { released: true };
}

export async function finishStep(
  ctx: ServerContext,
  session: SessionRow,
  stepId: string,
  input: { exitCode?: unknown; castSha256?: unknown; maskCounts?: unknown },
): Promise<void> {
  const step = await loadStep(ctx, session, stepId);
  const exitCode =
    typeof input.exitCode === 'number' && Number.isInteger(input.exitCode) ? input.exitCode : null;
  const castSha256 =
    typeof input.castSha256 === 'string' && /^[0-9a-f]{64}$/.test(input.castSha256) ? input.castSha256 : null;
  const maskCounts = isCounts(input.maskCounts) ? input.maskCounts : {};
  const updated = await ctx.db.query(
    `update steps set status = 'finished', ended_at = now(), exit_code = $2, cast_sha256 = $3, mask_counts = $4 where id = $1 and status = 'running'`,
    [stepId, exitCode, castSha256, JSON.stringify(maskCounts)],
  );
  if (updated.rowCount === 0) throw new GuardError('BAD_INPUT', `guard: step '${step.name}' is not running`);
  await recordEvent(ctx.db, session.id, 'step.finished', {
    step: stepId,
    seq: step.seq,
    exit_code: exitCode,
    cast_sha256: castSha256,
    mask_counts: maskCounts,
  });
}

interface StepRow {
  id: string;
  seq: number;
  name: string;
  kind: StepKind;
  target: string | null;
  decision: string;
  rule: string | null;
  reason: string;
  script_sha256: string;
  status: string;
}

async function loadStep(ctx: ServerContext, session: SessionRow, stepId: string): Promise<StepRow> {
  const { rows } = await ctx.db.query<StepRow>('select * from steps where id = $1 and session_id = $2', [
    stepId,
    session.id,
  ]);
  const step = rows[0];
  if (!step) throw new GuardError('NOT_FOUND', `guard: step ${stepId} does not belong to this session`);
  return step;
}

function isCounts(value: unknown): value is Record<string, number> {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.values(value).every((count) => Number.isInteger(count) && (count as number) >= 0)
  );
}

/**
 * A statement a db step's proxy holds for approval (policy said require-approval). The reviewer sees the
 * masked SQL; the digest names exactly the statement that will run once approved.
 */
export async function requestSqlApproval(
  ctx: ServerContext,
  session: SessionRow,
  stepId: string,
  input: { sql?: unknown; digest?: unknown; reason?: unknown },
): Promise<ApprovalState> {
  const step = await loadStep(ctx, session, stepId);
  if (step.kind !== 'db' || step.status !== 'running') {
    throw new GuardError('BAD_INPUT', `guard: step '${step.name}' is not a running database step`);
  }
  if (typeof input.sql !== 'string' || input.sql.length === 0 || input.sql.length > 100_000) {
    throw new GuardError(
      'BAD_INPUT',
      'guard: sql must be the statement text (masked), at most 100,000 characters',
    );
  }
  if (typeof input.digest !== 'string' || !/^[0-9a-f]{64}$/.test(input.digest)) {
    throw new GuardError('BAD_INPUT', 'guard: digest must be the hex sha256 of the statement');
  }
  const body = createMasker({
    packs: session.policy.masking.packs,
    rules: session.policy.masking.rules,
  }).maskText(input.sql);
  const reason =
    typeof input.reason === 'string'
      ? input.reason.slice(0, 500)
      : 'policy requires approval for this statement';
  const id = await ctx.db.transaction((tx) =>
    createApproval(tx, ctx, {
      kind: 'sql',
      stepId,
      ...approvalOrigin(session),
      title: `SQL in step ${step.name} (${step.target ?? 'database'})`,
      body,
      digest: input.digest as string,
      context: {
        ...approvalContext(session),
        reason,
        database: step.target,
      },
      rules: session.policy.approvals,
    }),
  );
  await announceRequested(ctx, id);
  return getApproval(ctx, id);
}

/** Who and what an approval of this session's comes from: for self-approval checks and the reviewer's view. */
function approvalOrigin(session: SessionRow) {
  return {
    sessionId: session.id,
    repository: session.repository,
    runId: session.run_id,
    runAttempt: session.run_attempt,
    actor: session.claims.actor,
    ...(session.claims.triggering_actor ? { triggeringActor: session.claims.triggering_actor } : {}),
  };
}

function approvalContext(session: SessionRow) {
  return {
    job: session.job,
    sha: session.claims.sha,
    ref: session.claims.ref,
    workflow: session.claims.workflow,
  };
}

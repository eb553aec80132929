// Decides whether one statement may run: SQL policy, approval wait, and for COPY ... TO STDOUT whether its
// rows can be masked. Fails closed: a policy or approver that throws refuses the statement.

import { describeError } from '../lib/errors.js';
import type { Judgement } from './events.js';
import { planRows, ColumnAction } from './masking/row-plan.js';
import type { CopyPlan } from './masking/copy-mask.js';
import type { StatementForPolicy } from './options.js';
import { SqlState } from './protocol/sqlstate.js';
import type { SessionContext } from './session-context.js';
import type { AnalyzedStatement } from './sql/analyze.js';
import { parseCopyStatement } from './sql/copy-statement.js';
import { maskSqlSecrets } from './sql/mask-sql.js';
import { tokenize } from './sql/tokenize.js';
import { newRun, type StatementRun } from './statement-run.js';

export interface Refusal {
  readonly sqlstate: string;
  readonly message: string;
  readonly hint?: string;
}

export interface Judged {
  readonly run: StatementRun;
  readonly refusal?: Refusal;
}

/** Words that make the literal pass worth running; most statements skip the second tokenize. */
const MAY_HOLD_SECRET = /passw|secret|:\/\//i;

export function maskSql(text: string, maskValue: ((text: string) => string) | undefined): string {
  if (MAY_HOLD_SECRET.test(text)) return maskSqlSecrets(text, maskValue);
  return maskValue === undefined ? text : maskValue(text);
}

/**
 * Judges one statement. Synchronous when the policy answers synchronously and nothing has to be waited
 * for (the common case), so the hot path creates no promises; a Promise when it must wait (an async
 * policy, an approval, a COPY description).
 */
export function judgeStatement(
  ctx: SessionContext,
  protocol: 'simple' | 'extended',
  statement: AnalyzedStatement,
  signal: AbortSignal,
  askApproval: boolean,
): Judged | Promise<Judged> {
  const { options } = ctx;
  const text = maskSql(statement.text, options.maskValue);
  const forPolicy: StatementForPolicy = {
    class: statement.class,
    tables: statement.tables,
    withoutWhere: statement.withoutWhere,
    text,
  };
  const decided = (decision: Judgement): Judged | Promise<Judged> =>
    afterDecision(ctx, protocol, statement, forPolicy, decision, signal, askApproval);
  let verdict: Judgement | Promise<Judgement>;
  try {
    verdict = options.judge === undefined ? ALLOW : options.judge(forPolicy);
  } catch (error) {
    return decided(policyFailure(error));
  }
  if (verdict instanceof Promise)
    return verdict.then(decided, (error: unknown) => decided(policyFailure(error)));
  return decided(verdict);
}

const ALLOW: Judgement = { action: 'allow' };

function policyFailure(error: unknown): Judgement {
  return { action: 'block', reason: `the SQL policy could not be evaluated (${describeError(error)})` };
}

function afterDecision(
  ctx: SessionContext,
  protocol: 'simple' | 'extended',
  statement: AnalyzedStatement,
  forPolicy: StatementForPolicy,
  decision: Judgement,
  signal: AbortSignal,
  askApproval: boolean,
): Judged | Promise<Judged> {
  const { options } = ctx;
  const run = newRun(protocol, statement, forPolicy.text, decision, performance.now());
  const rule = decision.rule !== undefined ? ` (${decision.rule})` : '';
  if (decision.action === 'block') {
    return {
      run,
      refusal: {
        sqlstate: SqlState.InsufficientPrivilege,
        message: `guard: statement blocked by policy${rule}: ${decision.reason ?? 'no reason given'}`,
        hint: 'change the statement, or ask the platform team whether the policy should allow it',
      },
    };
  }
  if (decision.action === 'require-approval') {
    const why = decision.reason !== undefined ? `: ${decision.reason}` : '';
    if (options.requestApproval === undefined || !askApproval) {
      return {
        run,
        refusal: {
          sqlstate: SqlState.InsufficientPrivilege,
          message: `guard: statement requires approval${rule}${why}; no approver is connected to this proxy`,
          hint: 'run it in a guarded step (shell: guard --db NAME {0}) so a reviewer can approve it',
        },
      };
    }
    return approve(ctx, statement, forPolicy, run, signal, options.requestApproval);
  }
  if (statement.class === 'copy' && ctx.masking) return withCopyPlan(ctx, statement, run);
  return { run };
}

async function approve(
  ctx: SessionContext,
  statement: AnalyzedStatement,
  forPolicy: StatementForPolicy,
  run: StatementRun,
  signal: AbortSignal,
  requestApproval: NonNullable<SessionContext['options']['requestApproval']>,
): Promise<Judged> {
  try {
    run.approval = await requestApproval(forPolicy, signal);
  } catch (error) {
    run.approval = { approved: false, reason: `the approval request failed (${describeError(error)})` };
  }
  if (!run.approval.approved && signal.aborted) {
    return {
      run,
      refusal: {
        sqlstate: SqlState.QueryCanceled,
        message: 'canceling statement due to user request (guard: the approval wait was cancelled)',
      },
    };
  }
  if (!run.approval.approved) {
    return {
      run,
      refusal: {
        sqlstate: SqlState.InsufficientPrivilege,
        message: `guard: approval for the statement was not granted${run.approval.reason !== undefined ? `: ${run.approval.reason}` : ''}`,
      },
    };
  }
  run.startedAt = performance.now();
  if (statement.class === 'copy' && ctx.masking) return withCopyPlan(ctx, statement, run);
  return { run };
}

async function withCopyPlan(
  ctx: SessionContext,
  statement: AnalyzedStatement,
  run: StatementRun,
): Promise<Judged> {
  run.copy = await copyPlan(ctx, statement);
  if (run.copy.mode === 'refuse') {
    return {
      run,
      refusal: { sqlstate: SqlState.InsufficientPrivilege, message: `guard: ${run.copy.reason}` },
    };
  }
  return { run };
}

async function copyPlan(ctx: SessionContext, statement: AnalyzedStatement): Promise<CopyPlan> {
  const copy = parseCopyStatement(statement.text, tokenize(statement.text));
  if (copy === undefined) {
    return {
      mode: 'refuse',
      reason: 'this COPY statement could not be analysed, so its rows cannot be masked; it is refused',
    };
  }
  if (copy.direction === 'from' || !copy.client) return { mode: 'pass' };
  if (copy.format === 'binary') {
    return {
      mode: 'refuse',
      reason: 'COPY ... TO STDOUT in binary format cannot be masked; use text or csv format',
    };
  }
  if (!ctx.columns.empty) {
    let described;
    try {
      described = await ctx.catalog.describe(copy.source);
    } catch (error) {
      return {
        mode: 'refuse',
        reason: `the exported columns could not be checked against the masking policy (${describeError(error)})`,
      };
    }
    const fields = described.fields.map((f) => ({ ...f, format: 0 }));
    const plan = planRows(fields, described.identities, ctx.columns, ctx.options.maskValue !== undefined);
    const maskedAt = plan.actions.findIndex((a) => a === ColumnAction.MaskColumn);
    if (maskedAt >= 0) {
      if (copy.format === 'csv' || copy.customDelimiter) {
        const id = described.identities[maskedAt];
        const name =
          id !== undefined ? `${id.table}.${id.column}` : (described.fields[maskedAt]?.name ?? '?');
        return {
          mode: 'refuse',
          reason: `COPY ... TO STDOUT exports column ${name}, which is masked by policy, in a format the proxy cannot cut into columns; use the default text format or leave the column out`,
        };
      }
      return { mode: 'columns', actions: plan.actions };
    }
  }
  return ctx.options.maskValue !== undefined ? { mode: 'value' } : { mode: 'pass' };
}

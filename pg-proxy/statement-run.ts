// A statement on its way through the proxy: created when it is judged, finished by the server's answer,
// then reported as one sql.statement event.

import type { Judgement, StatementEvent } from './events.js';
import type { CopyPlan } from './masking/copy-mask.js';
import type { RowPlan } from './masking/row-plan.js';
import type { AnalyzedStatement } from './sql/analyze.js';

/** Recorded SQL is cut at this length (a bulk INSERT can be megabytes). */
const MAX_RECORDED_TEXT = 64 * 1024;
const MAX_RECORDED_PARAM = 1024;

export interface StatementRun {
  readonly protocol: 'simple' | 'extended';
  readonly statement: AnalyzedStatement;
  /** Masked text, as judged, shown to reviewers and recorded. */
  readonly text: string;
  decision: Judgement;
  approval?: { approved: boolean; reason?: string };
  params?: (string | null)[];
  startedAt: number;
  maskedValues: number;
  copy?: CopyPlan;
  plan?: RowPlan;
}

export function newRun(
  protocol: 'simple' | 'extended',
  statement: AnalyzedStatement,
  text: string,
  decision: Judgement,
  now: number,
): StatementRun {
  return { protocol, statement, text, decision, startedAt: now, maskedValues: 0 };
}

export function finishRun(
  run: StatementRun,
  connection: number,
  outcome: StatementEvent['outcome'],
  now: number,
  extra: { tag?: string; rows?: number; error?: { sqlstate: string; message: string } } = {},
): StatementEvent {
  const text =
    run.text.length > MAX_RECORDED_TEXT ? `${run.text.slice(0, MAX_RECORDED_TEXT)}... [cut]` : run.text;
  return {
    type: 'sql.statement',
    connection,
    protocol: run.protocol,
    text,
    class: run.statement.class,
    tables: run.statement.tables,
    withoutWhere: run.statement.withoutWhere,
    decision: run.decision,
    ...(run.approval !== undefined ? { approval: run.approval } : {}),
    ...(run.params !== undefined ? { params: run.params } : {}),
    outcome,
    ...(extra.tag !== undefined ? { tag: extra.tag } : {}),
    ...(extra.rows !== undefined ? { rows: extra.rows } : {}),
    ...(extra.error !== undefined ? { error: extra.error } : {}),
    maskedValues: run.maskedValues,
    durationMs: Math.round((now - run.startedAt) * 1000) / 1000,
  };
}

/** Bind parameters as recorded: the masker over text values, never raw when no masker is configured. */
export function recordParams(
  params: readonly (Buffer | null)[],
  formats: readonly number[],
  maskValue: ((text: string) => string) | undefined,
): (string | null)[] {
  return params.map((value, i) => {
    if (value === null) return null;
    const format = formats.length === 1 ? formats[0] : formats[i];
    if (format === 1) return `<binary ${value.length} bytes>`;
    if (maskValue === undefined) return '***';
    // Mask first, then cut: cutting first could split a secret so the masker no longer sees it.
    const masked = maskValue(value.toString('utf8'));
    return masked.length > MAX_RECORDED_PARAM ? `${masked.slice(0, MAX_RECORDED_PARAM)}... [cut]` : masked;
  });
}

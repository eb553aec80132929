// The settings of one proxy, as startPgProxy takes them, and what it shares among its connections.

import type { EventSink } from './events.js';
import type { StatementClass } from './sql/classify.js';
import type { UpstreamConfig } from './upstream.js';

/** A statement as policy and reviewers see it: the text is already masked. */
export interface StatementForPolicy {
  readonly class: StatementClass;
  readonly tables: readonly string[];
  readonly withoutWhere: boolean;
  readonly text: string;
}

export type JudgeResult =
  | { readonly action: 'allow'; readonly rule?: string; readonly reason?: string }
  | { readonly action: 'block'; readonly reason: string; readonly rule?: string }
  | { readonly action: 'require-approval'; readonly rule?: string; readonly reason?: string };

export interface ApprovalResult {
  readonly approved: boolean;
  readonly reason?: string;
}

export interface PgProxyOptions {
  /** Where scripts connect; loopback. Port 0 picks a free port. */
  readonly listen: { readonly host: string; readonly port: number };
  /** The registered connection: never shown to the script. */
  readonly upstream: UpstreamConfig;
  /** The step's one-time credential; the proxy checks it with SCRAM-SHA-256. */
  readonly clientAuth: { readonly user: string; readonly password: string };
  /** SQL policy per statement; absent: allow everything (recording and masking still apply). */
  readonly judge?: (stmt: StatementForPolicy) => Promise<JudgeResult> | JudgeResult;
  /** Holds a statement until a reviewer decides. Absent: require-approval is refused. */
  readonly requestApproval?: (stmt: StatementForPolicy, signal: AbortSignal) => Promise<ApprovalResult>;
  /** Result columns to mask entirely: `table.column` or `schema.table.column` globs. */
  readonly maskColumns?: readonly string[];
  /** The masker: replaces secrets and personal data it detects in a text. */
  readonly maskValue?: (text: string) => string;
  /** Statement records and connection events, already masked; the caller hash-chains them. */
  readonly onEvent?: EventSink;
}

export interface PgProxyStats {
  readonly connections: { readonly open: number; readonly total: number; readonly refused: number };
  readonly statements: number;
  readonly blocked: number;
  readonly maskedValues: number;
  readonly errors: number;
}

export interface MutableStats {
  open: number;
  total: number;
  refused: number;
  statements: number;
  blocked: number;
  maskedValues: number;
  errors: number;
}

// What all connections of one proxy share.

import type { ScramVerifier } from './auth/scram-server.js';
import type { ColumnCatalog } from './catalog.js';
import type { ProxyEvent } from './events.js';
import type { ColumnMatcher } from './masking/column-globs.js';
import type { MutableStats, PgProxyOptions } from './options.js';
import type { AnalyzedStatement } from './sql/analyze.js';

export interface SessionContext {
  readonly options: PgProxyOptions;
  readonly verifier: ScramVerifier;
  readonly catalog: ColumnCatalog;
  readonly columns: ColumnMatcher;
  /** True when results must be inspected at all (mask columns or a masker configured). */
  readonly masking: boolean;
  readonly stats: MutableStats;
  /** Sessions by the (pid, secret) key the proxy gave their client, for CancelRequest. */
  readonly cancelKeys: Map<string, { cancel(): void }>;
  emit(event: ProxyEvent): void;
  nextConnectionId(): number;
  analyze(sql: string): readonly AnalyzedStatement[];
}

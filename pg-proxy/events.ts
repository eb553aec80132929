// What the proxy reports. Every event is already masked: SQL text, bind parameters and error texts pass
// the masker before they are put here, so the caller may persist them (hash-chained) as they are.

import type { StatementClass } from './sql/classify.js';

export interface Judgement {
  readonly action: 'allow' | 'block' | 'require-approval';
  readonly rule?: string;
  readonly reason?: string;
}

export interface StatementEvent {
  readonly type: 'sql.statement';
  readonly connection: number;
  readonly protocol: 'simple' | 'extended';
  /** The statement text, masked. */
  readonly text: string;
  readonly class: StatementClass;
  readonly tables: readonly string[];
  readonly withoutWhere: boolean;
  readonly decision: Judgement;
  readonly approval?: { readonly approved: boolean; readonly reason?: string };
  /** Bind parameters (extended protocol), masked; null for SQL NULL. */
  readonly params?: readonly (string | null)[];
  /**
   * ok: ran; error: the server refused it; blocked: guard refused it (policy, approval, unmaskable result);
   * not-run: an earlier statement of the same string or pipeline failed, so the server skipped it;
   * suspended: the portal returned its row limit and may be executed again.
   */
  readonly outcome: 'ok' | 'error' | 'blocked' | 'not-run' | 'suspended';
  /** The server's command tag, e.g. "UPDATE 3". */
  readonly tag?: string;
  /** Rows affected or returned, from the command tag. */
  readonly rows?: number;
  readonly error?: { readonly sqlstate: string; readonly message: string };
  /** Result values the proxy masked (by column or by the masker). */
  readonly maskedValues: number;
  readonly durationMs: number;
}

export type ProxyEvent =
  | StatementEvent
  | {
      readonly type: 'pg.connection.open';
      readonly connection: number;
      readonly client: string;
      readonly user: string;
      readonly database: string;
      readonly applicationName?: string;
      readonly upstreamAuth: string;
      readonly upstreamTls: boolean;
    }
  | {
      readonly type: 'pg.connection.close';
      readonly connection: number;
      readonly statements: number;
      readonly durationMs: number;
      readonly reason: string;
    }
  | {
      readonly type: 'pg.auth-failed';
      readonly connection: number;
      readonly client: string;
      readonly reason: string;
    }
  | {
      readonly type: 'pg.protocol-error';
      readonly connection: number;
      readonly side: 'client' | 'upstream';
      readonly message: string;
    }
  | { readonly type: 'pg.upstream-error'; readonly connection: number; readonly message: string }
  | {
      readonly type: 'pg.error';
      readonly connection: number;
      readonly sqlstate: string;
      readonly message: string;
    };

export type EventSink = (event: ProxyEvent, atMs: number) => void;

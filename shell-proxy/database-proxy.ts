// `shell: guard --db NAME {0}`: a Postgres proxy on loopback for the step. The script gets PG* variables
// with a one-time login; the proxy logs in upstream with the connection the server released, judges every
// statement against the session's policy, holds statements for reviewers, masks results and records.
import { randomBytes } from 'node:crypto';
import type { GuardServerClient } from '../client/server-api.js';
import { sha256Hex } from '../lib/digest.js';
import type { Masker } from '../masking/masker.js';
import type { JudgeResult } from '../pg-proxy/options.js';
import { startPgProxy, type PgProxy } from '../pg-proxy/proxy.js';
import type { UpstreamConfig } from '../pg-proxy/upstream.js';
import { decideSql } from '../policies/decide.js';
import type { EffectivePolicy } from '../policies/types.js';
import type { EventLog } from '../recording/recording-files.js';
import { waitForDecision } from './approval-wait.js';

export interface DatabaseProxy {
  /** PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, DATABASE_URL for the script. */
  env: Record<string, string>;
  /** Statements by class, for the manifest. */
  counts(): Record<string, number>;
  close(): Promise<void>;
}

export interface DatabaseProxyOptions {
  target: string;
  upstream: UpstreamConfig;
  policy: EffectivePolicy;
  client: GuardServerClient;
  serverUrl: string;
  stepId: string;
  stepSeq: number;
  stepName: string;
  masker: Masker;
  events: EventLog;
  print: (line: string) => void;
}

export async function startDatabaseProxy(options: DatabaseProxyOptions): Promise<DatabaseProxy> {
  const counts: Record<string, number> = {};
  const login = { user: `guard_step_${options.stepSeq}`, password: randomBytes(24).toString('base64url') };
  // The one-time password is a secret of the session: never printed, never recorded.
  options.masker.addSecret(login.password);
  if (options.upstream.password) options.masker.addSecret(options.upstream.password);
  let pending: Promise<void> = Promise.resolve();

  const proxy: PgProxy = await startPgProxy({
    listen: { host: '127.0.0.1', port: 0 },
    upstream: options.upstream,
    clientAuth: login,
    maskColumns: options.policy.masking.columns,
    maskValue: (text) => options.masker.maskText(text),
    judge: (stmt): JudgeResult => {
      const decision = decideSql(options.policy, {
        class: stmt.class,
        tables: [...stmt.tables],
        withoutWhere: stmt.withoutWhere,
        text: stmt.text,
        target: options.target,
      });
      const common = { ...(decision.rule ? { rule: decision.rule } : {}), reason: decision.reason };
      return decision.action === 'block'
        ? { action: 'block', ...common }
        : { action: decision.action, ...common };
    },
    requestApproval: async (stmt, signal) => {
      // The statement text is already masked; its digest names exactly what the reviewer saw.
      const approval = await options.client.requestSqlApproval(options.stepId, {
        sql: stmt.text,
        digest: sha256Hex(stmt.text),
        reason: `${stmt.class} on ${stmt.tables.join(', ') || 'no table'}`,
      });
      const decided = await waitForDecision({
        client: options.client,
        approval,
        stepName: `${options.stepName} (SQL)`,
        serverUrl: options.serverUrl,
        print: options.print,
        signal,
      });
      return decided.status === 'approved'
        ? { approved: true }
        : { approved: false, reason: decided.reason ?? decided.status };
    },
    onEvent: (event) => {
      if (event.type === 'sql.statement') counts[event.class] = (counts[event.class] ?? 0) + 1;
      // Events arrive already masked; they join the job's hash-chained log in order.
      pending = pending
        .then(() => options.events.append({ ...event, step: options.stepSeq }))
        .catch(() => {});
    },
  });
  const env = {
    PGHOST: proxy.host,
    PGPORT: String(proxy.port),
    PGUSER: login.user,
    PGPASSWORD: login.password,
    PGDATABASE: options.upstream.database,
    PGSSLMODE: 'disable',
    DATABASE_URL: `postgresql://${encodeURIComponent(login.user)}:${encodeURIComponent(login.password)}@${proxy.host}:${proxy.port}/${encodeURIComponent(options.upstream.database)}?sslmode=disable`,
  };
  return {
    env,
    counts: () => ({ ...counts }),
    async close() {
      await proxy.close();
      await pending;
    },
  };
}

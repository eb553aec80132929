// Starts the approval server: database (migrated), policies, issuers, HTTP. Returns a handle that closes
// everything it opened, so tests and `guard demo` leave nothing behind.
import type { Server } from 'node:http';
import { buildApi } from './api.js';
import { ApprovalWaiters } from './approval-waiters.js';
import { ApprovalEvents } from './approval-events.js';
import { loadServerSecret, secretBox } from './secret-box.js';
import type { ServerConfig } from './config.js';
import type { ServerContext } from './context.js';
import { listen } from './http/node-adapter.js';
import { TrustedIssuers } from './oidc/trusted-issuers.js';
import { loadServerPolicies } from './policy-source.js';
import { openDatabase } from './storage/database.js';
import { applyRetention } from './audit/ledger-store.js';
import { ensureKeySet } from './audit/signing-key-store.js';
import type { ServerExtension } from './extension.js';
import { githubExtension } from './github/extension.js';
import { runnerExtension } from './runner/extension.js';
import { reviewPageExtension } from './review-page/extension.js';
import type { PolicySet } from '../policies/types.js';
import { migrate } from './storage/migrations.js';

export interface RunningServer {
  url: string;
  ctx: ServerContext;
  close(): Promise<void>;
}

export async function startServer(
  config: ServerConfig,
  options: {
    log?: (line: string) => void;
    now?: () => Date;
    policies?: PolicySet;
    /** Default: the GitHub App and the runner hooks (each idle unless configured) and the review page. */
    extensions?: readonly ServerExtension[];
    /** Where extensions read their settings; default process.env. */
    env?: NodeJS.ProcessEnv;
  } = {},
): Promise<RunningServer> {
  const log = options.log ?? ((line: string) => console.log(`guard server: ${line}`));
  const db = await openDatabase({
    ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
    ...(config.dataDir ? { dataDir: config.dataDir } : {}),
  });
  let server: Server | undefined;
  const stops: (() => Promise<void>)[] = [];
  const waiters = new ApprovalWaiters(db);
  try {
    await migrate(db);
    const policies = options.policies ?? (await loadServerPolicies(config.policyDir));
    await waiters.start();
    const ctx: ServerContext = {
      config,
      db,
      issuers: new TrustedIssuers(config.issuers, config.jwksCooldownMs),
      policies,
      waiters,
      approvalEvents: new ApprovalEvents(log),
      secrets: secretBox(await loadServerSecret(config)),
      now: options.now ?? (() => new Date()),
      log,
    };
    const router = buildApi(ctx);
    for (const extension of options.extensions ?? [githubExtension, runnerExtension, reviewPageExtension]) {
      const stop = await extension.install(ctx, router, options.env ?? process.env);
      if (stop) stops.push(stop);
    }
    if (config.ledgerRetentionDays !== undefined)
      stops.push(scheduleRetention(ctx, config.ledgerRetentionDays));
    const listening = await listen(router, config.host, config.port);
    server = listening.server;
    log(
      `listening on ${listening.url} (database: ${db.kind}${config.dataDir ? ` in ${config.dataDir}` : ''}; issuers: ${config.issuers.join(', ')}; audience: ${config.audience})`,
    );
    const running = server;
    return {
      url: listening.url,
      ctx,
      async close() {
        running.closeAllConnections();
        await new Promise<void>((resolve) => running.close(() => resolve()));
        for (const stop of stops.splice(0)) await stop().catch(() => {});
        await waiters.stop();
        await db.close();
      },
    };
  } catch (error) {
    server?.close();
    for (const stop of stops.splice(0)) await stop().catch(() => {});
    await waiters.stop().catch(() => {});
    await db.close().catch(() => {});
    throw error;
  }
}

/** Applies ledger retention now and daily; every deletion is itself a ledger row. */
function scheduleRetention(ctx: ServerContext, days: number): () => Promise<void> {
  const run = async () => {
    try {
      const keys = await ensureKeySet(ctx.db, ctx.secrets);
      const removed = await applyRetention(ctx.db, days, keys.active, ctx.now());
      if (removed > 0)
        ctx.log(`ledger retention: removed ${removed} rows older than ${days} days (recorded in the ledger)`);
    } catch (error) {
      ctx.log(`ledger retention failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const first = run();
  const timer = setInterval(() => void run(), 86_400_000);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await first;
  };
}

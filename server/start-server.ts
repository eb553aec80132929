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
import type { ServerExtension } from './extension.js';
import { githubExtension } from './github/extension.js';
import { runnerExtension } from './runner/extension.js';
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
    /** Default: the GitHub App and the runner hooks (each stays idle unless configured). */
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
      issuers: new TrustedIssuers(config.issuers),
      policies,
      waiters,
      approvalEvents: new ApprovalEvents(log),
      secrets: secretBox(await loadServerSecret(config)),
      now: options.now ?? (() => new Date()),
      log,
    };
    const router = buildApi(ctx);
    for (const extension of options.extensions ?? [githubExtension, runnerExtension]) {
      const stop = await extension.install(ctx, router, options.env ?? process.env);
      if (stop) stops.push(stop);
    }
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

// The network adapter: a loopback listener whose every connection becomes a PgSession. One broken or
// hostile connection never takes the listener or the other sessions down.

import { createServer, type Socket } from 'node:net';
import { createScramVerifier } from './auth/scram-server.js';
import { ColumnCatalog } from './catalog.js';
import type { ProxyEvent } from './events.js';
import { compileColumnGlobs } from './masking/column-globs.js';
import type { MutableStats, PgProxyOptions, PgProxyStats } from './options.js';
import { PgSession } from './session.js';
import type { SessionContext } from './session-context.js';
import { createStatementAnalyzer } from './sql/analyze.js';
import { connectUpstream } from './upstream.js';

export type {
  PgProxyOptions,
  PgProxyStats,
  StatementForPolicy,
  JudgeResult,
  ApprovalResult,
} from './options.js';
export type { ProxyEvent, StatementEvent } from './events.js';

export interface PgProxy {
  readonly host: string;
  readonly port: number;
  /** Stops listening, closes every session and the catalog connection. */
  close(): Promise<void>;
  stats(): PgProxyStats;
}

/** Analyses are cached by shape: pgbench and ORMs send the same statements with other literals. */
const ANALYSIS_CACHE_SIZE = 1000;
const ANALYSIS_CACHE_MAX_TEXT = 8192;

export async function startPgProxy(options: PgProxyOptions): Promise<PgProxy> {
  if (options.clientAuth.user === '' || options.clientAuth.password === '') {
    throw new TypeError('startPgProxy: clientAuth.user and clientAuth.password must be non-empty');
  }
  const columns = compileColumnGlobs(options.maskColumns ?? []);
  const stats: MutableStats = {
    open: 0,
    total: 0,
    refused: 0,
    statements: 0,
    blocked: 0,
    maskedValues: 0,
    errors: 0,
  };
  const sessions = new Set<PgSession>();
  const sockets = new Set<Socket>();
  let nextId = 0;
  const ctx: SessionContext = {
    options,
    verifier: createScramVerifier(options.clientAuth.password),
    catalog: new ColumnCatalog(() =>
      connectUpstream(options.upstream, { application_name: 'guard-catalog' }),
    ),
    columns,
    masking: !columns.empty || options.maskValue !== undefined,
    stats,
    cancelKeys: new Map(),
    emit: (event: ProxyEvent) => {
      try {
        options.onEvent?.(event, Date.now());
      } catch {
        // A failing recorder must not break the connection it records; the caller sees its own error.
      }
    },
    nextConnectionId: () => ++nextId,
    analyze: createStatementAnalyzer(ANALYSIS_CACHE_SIZE, ANALYSIS_CACHE_MAX_TEXT),
  };

  const server = createServer((socket) => {
    stats.open++;
    stats.total++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    try {
      const session = new PgSession(socket, ctx);
      sessions.add(session);
      socket.on('close', () => sessions.delete(session));
    } catch {
      socket.destroy();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.listen.port, options.listen.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string')
    throw new Error('startPgProxy: the listener has no TCP address');

  return {
    host: address.address,
    port: address.port,
    stats: () => ({
      connections: { open: stats.open, total: stats.total, refused: stats.refused },
      statements: stats.statements,
      blocked: stats.blocked,
      maskedValues: stats.maskedValues,
      errors: stats.errors,
    }),
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const session of sessions) session.close('the proxy is shutting down');
      for (const socket of sockets) socket.destroy();
      // Sessions hand their last events over on the next turn of the event loop.
      await new Promise((resolve) => setImmediate(resolve));
      await ctx.catalog.close();
      await closed;
    },
  };
}

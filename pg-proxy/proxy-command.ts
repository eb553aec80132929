// `guard proxy pg`: the proxy stand-alone, for local use and benchmarks. Runs until SIGINT or SIGTERM.

import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { describeError } from '../lib/errors.js';
import { createMasker } from '../masking/masker.js';
import { decideSql, layer } from '../policies/index.js';
import { loadPolicyDir } from '../policies/load.js';
import type { EffectivePolicy } from '../policies/types.js';
import { defaultJudge } from './default-judge.js';
import type { JudgeResult, StatementForPolicy } from './options.js';
import { PROXY_PG_USAGE, parseProxyPgArgs } from './proxy-args.js';
import { startPgProxy } from './proxy.js';
import { openRecordFile } from './record-file.js';

export interface ProxyCommandIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export { RECORD_FILE } from './record-file.js';

/** `stop` ends the proxy like a signal would (tests); otherwise SIGINT/SIGTERM do. */
export async function runProxyPgCommand(
  argv: string[],
  io: ProxyCommandIo,
  stop?: AbortSignal,
): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout.write(PROXY_PG_USAGE);
    return 0;
  }
  const env = io.env ?? process.env;
  let args;
  try {
    args = parseProxyPgArgs(argv, env);
  } catch (error) {
    io.stderr.write(`${describeError(error)}\n`);
    return 2;
  }
  const { caFile, ...parsed } = args.upstream;
  const upstream =
    caFile !== undefined && parsed.ssl !== undefined
      ? { ...parsed, ssl: { ...parsed.ssl, ca: await readFile(caFile, 'utf8') } }
      : parsed;
  const policy =
    args.policyDir !== undefined ? layer((await loadPolicyDir(args.policyDir)).policies) : undefined;
  const judge = policy !== undefined ? policyJudge(policy, upstream.database) : defaultJudge;
  const masker = createMasker({
    ...(policy !== undefined ? { packs: policy.masking.packs, rules: policy.masking.rules } : {}),
    ...(upstream.password !== undefined ? { secrets: [upstream.password] } : {}),
  });
  // A record that cannot be written stops the proxy: statements must not run unrecorded (fail closed).
  const failed = new AbortController();
  const record =
    args.recordDir !== undefined
      ? await openRecordFile(args.recordDir, (error) => failed.abort(error))
      : undefined;
  const user = args.clientUser ?? `guard_${randomBytes(4).toString('hex')}`;
  const password = env.GUARD_PROXY_PASSWORD ?? randomBytes(18).toString('base64url');

  const proxy = await startPgProxy({
    listen: args.listen,
    upstream,
    clientAuth: { user, password },
    judge,
    maskColumns: [...(policy?.masking.columns ?? []), ...args.maskColumns],
    maskValue: (text) => masker.maskText(text),
    ...(record !== undefined ? { onEvent: (event, atMs) => record.append(event, atMs) } : {}),
  });
  const url = `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${proxy.host}:${proxy.port}/${encodeURIComponent(upstream.database)}`;
  io.stdout.write(
    `guard proxy pg: listening on ${proxy.host}:${proxy.port}, upstream ${upstream.database} at ${upstream.host}:${upstream.port}` +
      `${policy !== undefined ? `, policy ${policy.name}` : ', built-in SQL rules'}` +
      `${record !== undefined ? `, recording to ${record.path}` : ''}\n` +
      `PGHOST=${proxy.host}\nPGPORT=${proxy.port}\nPGUSER=${user}\nPGPASSWORD=${password}\nPGDATABASE=${upstream.database}\nDATABASE_URL=${url}\n`,
  );

  await new Promise<void>((resolve) => {
    const done = (): void => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
    stop?.addEventListener('abort', done, { once: true });
    failed.signal.addEventListener('abort', done, { once: true });
  });
  const stats = proxy.stats();
  await proxy.close();
  await record?.close().catch((error: unknown) => failed.abort(error));
  if (failed.signal.aborted) {
    io.stderr.write(`${describeError(failed.signal.reason)}; the proxy stopped so nothing runs unrecorded\n`);
    return 1;
  }
  io.stderr.write(
    `guard proxy pg: stopped after ${stats.connections.total} connection(s), ${stats.statements} statement(s), ` +
      `${stats.blocked} refused, ${stats.maskedValues} value(s) masked\n`,
  );
  return 0;
}

function policyJudge(policy: EffectivePolicy, target: string): (stmt: StatementForPolicy) => JudgeResult {
  return (stmt) => {
    const decision = decideSql(policy, { ...stmt, tables: [...stmt.tables], target });
    return {
      action: decision.action,
      reason: decision.reason,
      ...(decision.rule !== undefined ? { rule: decision.rule } : {}),
    };
  };
}

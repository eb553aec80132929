// `guard audit verify | verify-ledger | pull`: exit 0 when the evidence verifies, 1 when it does not (or
// cannot be fetched), 2 for a usage mistake.

import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { GuardError, describeError } from '../lib/errors.js';
import { loadTrustedKeys } from './key-source.js';
import { parseLedgerExport, verifyLedger } from './ledger.js';
import { pullAuditArtifacts } from './pull-artifacts.js';
import { formatVerification } from './report.js';
import { verifyBundle } from './verify-bundle.js';

export interface AuditIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: Record<string, string | undefined>;
}

const USAGE = `Usage:
  guard audit verify DIR|ZIP... [--key FILE]... [--server URL] [--json]
      check every digest, every hash chain and the server's signature; fully offline with --key
  guard audit verify-ledger FILE|--server URL [--key FILE]... [--since ISO] [--token T]
      check the server's ledger export (JSON lines) for altered, deleted or truncated rows
  guard audit pull --repo OWNER/REPO --run ID [--job NAME] [--out DIR] [--token T] [--key FILE]... [--server URL]
      download a run's guard audit artifacts (GITHUB_API_URL, GITHUB_TOKEN), verify them, print a summary
`;

const KEY_OPTIONS = {
  key: { type: 'string', multiple: true },
  server: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function runAuditCommand(argv: string[], io: AuditIo): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    switch (sub) {
      case 'verify':
        return await verifyCommand(rest, io);
      case 'verify-ledger':
        return await verifyLedgerCommand(rest, io);
      case 'pull':
        return await pullCommand(rest, io);
      case '--help':
      case '-h':
      case 'help':
        io.stdout.write(USAGE);
        return 0;
      default:
        io.stderr.write(
          `guard audit: unknown subcommand ${sub === undefined ? '(none)' : JSON.stringify(sub)}\n${USAGE}`,
        );
        return 2;
    }
  } catch (error) {
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`guard audit ${sub}: ${error.message}\n${USAGE}`);
      return 2;
    }
    io.stderr.write(`${describeError(error)}\n`);
    return error instanceof GuardError && error.code === 'BAD_INPUT' ? 2 : 1;
  }
}

async function verifyCommand(argv: string[], io: AuditIo): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: KEY_OPTIONS, allowPositionals: true });
  if (values.help || positionals.length === 0) {
    io.stdout.write(USAGE);
    return values.help ? 0 : 2;
  }
  const keys = await loadTrustedKeys(values.key ?? [], values.server);
  if (values.server !== undefined && values.key === undefined) {
    io.stderr.write(
      `guard: trusting the keys ${values.server} serves now; for offline proof pin them with --key (guard server keys > keys.json)\n`,
    );
  }
  let allOk = true;
  const results = [];
  for (const path of positionals) {
    const result = await verifyBundle(path, { keys });
    allOk &&= result.ok;
    results.push({ path, ...result });
    if (!values.json) io.stdout.write(formatVerification(path, result));
  }
  if (values.json) io.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  return allOk ? 0 : 1;
}

async function verifyLedgerCommand(argv: string[], io: AuditIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      ...KEY_OPTIONS,
      since: { type: 'string' },
      repository: { type: 'string' },
      token: { type: 'string' },
    },
    allowPositionals: true,
  });
  if (values.repository !== undefined) {
    throw new GuardError(
      'BAD_INPUT',
      'guard: verify-ledger needs the whole chain; --repository filters rows out, so it is for SIEM exports only',
    );
  }
  const file = positionals[0];
  if (file === undefined && values.server === undefined) {
    io.stdout.write(USAGE);
    return 2;
  }
  const keys = await loadTrustedKeys(values.key ?? [], values.key === undefined ? values.server : undefined);
  const text =
    file !== undefined
      ? await readFile(file, 'utf8')
      : await fetchExport(values.server!, values.since, values.token ?? io.env.GUARD_AUDIT_TOKEN);
  const { rows, checkpoints } = parseLedgerExport(text);
  const result = verifyLedger(rows, checkpoints, keys, { partial: values.since !== undefined });
  if (values.json) {
    io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    const range = rows.length === 0 ? 'no rows' : `rows ${result.firstSeq}-${result.lastSeq}`;
    io.stdout.write(
      `${result.ok ? 'VALID' : 'INVALID'}  ledger: ${range}, ${checkpoints.length} checkpoint(s), last verified checkpoint at row ${result.checkpointSeq ?? '-'}\n`,
    );
    for (const p of result.problems) io.stdout.write(`    ${p.message}\n`);
    if (result.ok && result.checkpointSeq !== result.lastSeq && rows.length > 0) {
      io.stdout.write(
        `  note: rows after ${result.checkpointSeq ?? 0} are not yet covered by a signed checkpoint\n`,
      );
    }
  }
  return result.ok ? 0 : 1;
}

async function fetchExport(
  server: string,
  since: string | undefined,
  token: string | undefined,
): Promise<string> {
  const url = new URL('/v1/audit/export', server);
  if (since !== undefined) url.searchParams.set('since', since);
  let response: Response;
  try {
    response = await fetch(url, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
  } catch (error) {
    throw new GuardError('SERVER_UNREACHABLE', `guard: cannot fetch ${url.href}: ${describeError(error)}`, {
      cause: error,
    });
  }
  if (!response.ok)
    throw new GuardError(
      'SERVER_ERROR',
      `guard: ${url.href} answered ${response.status}; an export needs an auditor token (--token or GUARD_AUDIT_TOKEN)`,
    );
  return response.text();
}

async function pullCommand(argv: string[], io: AuditIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...KEY_OPTIONS,
      repo: { type: 'string' },
      run: { type: 'string' },
      job: { type: 'string' },
      out: { type: 'string' },
      token: { type: 'string' },
    },
  });
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  if (values.repo === undefined || values.run === undefined) {
    io.stderr.write(`guard audit pull: --repo and --run are required\n${USAGE}`);
    return 2;
  }
  const keys = await loadTrustedKeys(values.key ?? [], values.server);
  const pulled = await pullAuditArtifacts({
    repo: values.repo,
    runId: values.run,
    ...(values.job === undefined ? {} : { job: values.job }),
    outDir: values.out ?? `guard-audit-${values.run}`,
    ...((values.token ?? io.env.GITHUB_TOKEN) ? { token: values.token ?? io.env.GITHUB_TOKEN } : {}),
    apiUrl: io.env.GITHUB_API_URL ?? 'https://api.github.com',
  });
  for (const name of pulled.expired)
    io.stdout.write(`EXPIRED  ${name}: GitHub no longer keeps it (artifact retention ran out)\n`);
  if (pulled.pulled.length === 0) {
    io.stderr.write(
      `guard: run ${values.run} of ${values.repo} has no guard audit artifact${values.job ? ` for job ${values.job}` : ''} to verify\n`,
    );
    return 1;
  }
  let allOk = pulled.expired.length === 0;
  for (const artifact of pulled.pulled) {
    const result = await verifyBundle(artifact.dir, { keys });
    allOk &&= result.ok;
    io.stdout.write(formatVerification(`${artifact.name} -> ${artifact.dir}`, result));
  }
  return allOk ? 0 : 1;
}

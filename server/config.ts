// Every setting of `guard server`, parsed and validated once. Flags win over environment variables.
import { GuardError } from '../lib/errors.js';
import { GITHUB_ISSUER } from './oidc/trusted-issuers.js';

export interface ServerConfig {
  host: string;
  port: number;
  /** The URL reviewers and runners use to reach this server (links in messages). */
  publicUrl?: string;
  /** PostgreSQL server; when absent the embedded PGlite database in `dataDir` is used. */
  databaseUrl?: string;
  dataDir?: string;
  /** OIDC issuers whose tokens open sessions (exact match on `iss`). */
  issuers: string[];
  /** The audience the action requests its OIDC token for; must equal the token's `aud`. */
  audience: string;
  policyDir?: string;
  /** How long a session credential lives; the job's own limit is 6 h on GitHub-hosted runners. */
  sessionTtlSec: number;
  /** Longest a session lives however busy the job is (self-hosted jobs may run for days). */
  sessionMaxSec?: number;
  /** Longest a single wait request is held open before the client asks again. */
  maxWaitSec: number;
  /** 32 bytes, base64: seals stored keys; required with a PostgreSQL server (see server/secret-box.ts). */
  secretKey?: string;
  /** Bearer token for the ledger export (SIEM, `guard audit verify-ledger --server`); export is off without it. */
  auditToken?: string;
  /** JWKS re-fetch cooldown (ms); only tests change it. */
  jwksCooldownMs?: number;
  /** Ledger rows older than this many days are removed, recorded by a retention row; unset keeps all. */
  ledgerRetentionDays?: number;
}

export const DEFAULT_AUDIENCE = 'guard';

/** Every `guard server` flag; docs/server.md documents each (checked by docs/docs.test.ts). */
export const SERVER_FLAGS = [
  'host',
  'port',
  'public-url',
  'database-url',
  'data-dir',
  'issuer',
  'audience',
  'policy',
  'session-ttl',
  'session-max',
  'max-wait',
  'ledger-retention-days',
] as const;

export function parseServerConfig(argv: readonly string[], env: NodeJS.ProcessEnv): ServerConfig {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match?.[1])
      throw new GuardError(
        'BAD_INPUT',
        `guard server: unexpected argument '${arg}'; see 'guard server --help'`,
      );
    const value = match[2] ?? argv[++i];
    if (value === undefined) throw new GuardError('BAD_INPUT', `guard server: --${match[1]} needs a value`);
    flags.set(match[1], value);
  }
  const known = new Set<string>(SERVER_FLAGS);
  for (const name of flags.keys()) {
    if (!known.has(name))
      throw new GuardError(
        'BAD_INPUT',
        `guard server: unknown option --${name}; known: ${[...known].map((k) => `--${k}`).join(', ')}`,
      );
  }
  const pick = (flag: string, envName: string) => flags.get(flag) ?? env[envName] ?? undefined;
  const port = Number(pick('port', 'PORT') ?? '8080');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new GuardError('BAD_INPUT', `guard server: --port must be 0-65535, got '${pick('port', 'PORT')}'`);
  }
  const issuers = (pick('issuer', 'GUARD_ISSUERS') ?? GITHUB_ISSUER)
    .split(',')
    .map((issuer) => issuer.trim())
    .filter(Boolean);
  for (const issuer of issuers) {
    let url: URL;
    try {
      url = new URL(issuer);
    } catch {
      throw new GuardError('BAD_INPUT', `guard server: issuer '${issuer}' is not a URL`);
    }
    const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
    if (url.protocol !== 'https:' && !loopback) {
      throw new GuardError(
        'BAD_INPUT',
        `guard server: issuer '${issuer}' must use https (plain http is accepted only on loopback, for local stand-ins)`,
      );
    }
  }
  const seconds = (flag: string, envName: string, fallback: number) => {
    const raw = pick(flag, envName);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0)
      throw new GuardError('BAD_INPUT', `guard server: --${flag} must be a positive number of seconds`);
    return value;
  };
  const config: ServerConfig = {
    host: pick('host', 'GUARD_HOST') ?? '127.0.0.1',
    port,
    issuers,
    audience: pick('audience', 'GUARD_AUDIENCE') ?? DEFAULT_AUDIENCE,
    sessionTtlSec: seconds('session-ttl', 'GUARD_SESSION_TTL', 3600),
    sessionMaxSec: seconds('session-max', 'GUARD_SESSION_MAX', 24 * 3600),
    maxWaitSec: seconds('max-wait', 'GUARD_MAX_WAIT', 25),
  };
  const optional = {
    publicUrl: pick('public-url', 'GUARD_PUBLIC_URL'),
    databaseUrl: pick('database-url', 'DATABASE_URL'),
    dataDir: pick('data-dir', 'GUARD_DATA_DIR'),
    policyDir: pick('policy', 'GUARD_POLICY_DIR'),
    // Secrets come from the environment only: a flag would show in `ps`.
    secretKey: env.GUARD_SECRET_KEY,
    auditToken: env.GUARD_AUDIT_TOKEN,
  };
  const retention = pick('ledger-retention-days', 'GUARD_LEDGER_RETENTION_DAYS');
  if (retention !== undefined)
    config.ledgerRetentionDays = seconds('ledger-retention-days', 'GUARD_LEDGER_RETENTION_DAYS', 0);
  for (const [key, value] of Object.entries(optional)) if (value) Object.assign(config, { [key]: value });
  return config;
}

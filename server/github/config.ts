// The GitHub App's settings, read once from the environment. Absent App id and key mean "not
// configured" (the server runs without GitHub); half a configuration is an error, never a silent skip.
import { readFileSync } from 'node:fs';
import { GuardError } from '../../lib/errors.js';

export interface GitHubAppConfig {
  appId: number;
  /** PEM (PKCS#1 as GitHub hands it out, or PKCS#8). */
  privateKey: string;
  /** Accepted webhook secrets, newest first: during a rotation both the new and the old one verify. */
  webhookSecrets: string[];
  /** REST API base, no trailing slash. */
  apiUrl: string;
}

export const DEFAULT_API_URL = 'https://api.github.com';

export function readGitHubAppConfig(env: NodeJS.ProcessEnv): GitHubAppConfig | undefined {
  const appId = env.GUARD_GITHUB_APP_ID?.trim();
  const key = env.GUARD_GITHUB_APP_PRIVATE_KEY?.trim();
  const secrets = (env.GUARD_GITHUB_WEBHOOK_SECRET ?? '')
    .split(',')
    .map((secret) => secret.trim())
    .filter(Boolean);
  if (!appId && !key && secrets.length === 0) return undefined;
  const missing = [
    !appId && 'GUARD_GITHUB_APP_ID',
    !key && 'GUARD_GITHUB_APP_PRIVATE_KEY',
    secrets.length === 0 && 'GUARD_GITHUB_WEBHOOK_SECRET',
  ].filter(Boolean);
  if (missing.length > 0) {
    throw new GuardError(
      'CONFIG_INVALID',
      `guard server: the GitHub App is partly configured; also set ${missing.join(', ')} (see docs/github-app.md)`,
    );
  }
  if (!/^\d+$/.test(appId ?? ''))
    throw new GuardError(
      'CONFIG_INVALID',
      `guard server: GUARD_GITHUB_APP_ID must be the App's numeric id, got '${appId}'`,
    );
  const apiUrl = (env.GUARD_GITHUB_API_URL?.trim() || DEFAULT_API_URL).replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch (cause) {
    throw new GuardError('CONFIG_INVALID', `guard server: GUARD_GITHUB_API_URL '${apiUrl}' is not a URL`, {
      cause,
    });
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !loopback)
    throw new GuardError(
      'CONFIG_INVALID',
      `guard server: GUARD_GITHUB_API_URL must use https (plain http only on loopback, for the stand-in)`,
    );
  return { appId: Number(appId), privateKey: readKey(key ?? ''), webhookSecrets: secrets, apiUrl };
}

/** The key itself, `\n`-escaped in one line (common in env files), or `@/path/to/key.pem`. */
function readKey(value: string): string {
  let pem = value;
  if (value.startsWith('@')) {
    try {
      pem = readFileSync(value.slice(1), 'utf8');
    } catch (cause) {
      throw new GuardError(
        'CONFIG_INVALID',
        `guard server: cannot read the GitHub App private key from ${value.slice(1)}; check the path and its permissions`,
        { cause },
      );
    }
  }
  pem = pem.replace(/\\n/g, '\n').trim();
  if (!/^-----BEGIN (RSA )?PRIVATE KEY-----[\s\S]+-----END (RSA )?PRIVATE KEY-----$/.test(pem)) {
    throw new GuardError(
      'CONFIG_INVALID',
      'guard server: GUARD_GITHUB_APP_PRIVATE_KEY is not a PEM private key; give the .pem GitHub generated for the App, or @/path/to/it',
    );
  }
  return `${pem}\n`;
}

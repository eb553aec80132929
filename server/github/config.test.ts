import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readGitHubAppConfig } from './config.js';

const PEM = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ type: 'pkcs1', format: 'pem' })
  .toString();

describe('GitHub App settings', () => {
  it('is off when nothing is set', () => {
    expect(readGitHubAppConfig({})).toBeUndefined();
  });

  it('reads the key inline (also \\n-escaped) or from @file, and the secrets newest first', () => {
    const dir = mkdtempSync(join(tmpdir(), 'guard-app-'));
    try {
      writeFileSync(join(dir, 'app.pem'), PEM);
      const fromFile = readGitHubAppConfig({
        GUARD_GITHUB_APP_ID: '123',
        GUARD_GITHUB_APP_PRIVATE_KEY: `@${join(dir, 'app.pem')}`,
        GUARD_GITHUB_WEBHOOK_SECRET: 'new, old ,',
      });
      expect(fromFile).toMatchObject({
        appId: 123,
        webhookSecrets: ['new', 'old'],
        apiUrl: 'https://api.github.com',
      });
      expect(fromFile?.privateKey).toBe(PEM);
      const escaped = readGitHubAppConfig({
        GUARD_GITHUB_APP_ID: '123',
        GUARD_GITHUB_APP_PRIVATE_KEY: PEM.trim().replace(/\n/g, '\\n'),
        GUARD_GITHUB_WEBHOOK_SECRET: 's',
        GUARD_GITHUB_API_URL: 'https://ghe.example.com/api/v3/',
      });
      expect(escaped?.privateKey).toBe(PEM);
      expect(escaped?.apiUrl).toBe('https://ghe.example.com/api/v3');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses half a configuration, a non-PEM key and a plain-http API off loopback', () => {
    expect(() => readGitHubAppConfig({ GUARD_GITHUB_APP_ID: '1' })).toThrow(
      /also set GUARD_GITHUB_APP_PRIVATE_KEY, GUARD_GITHUB_WEBHOOK_SECRET/,
    );
    const base = { GUARD_GITHUB_APP_ID: '1', GUARD_GITHUB_WEBHOOK_SECRET: 's' };
    expect(() => readGitHubAppConfig({ ...base, GUARD_GITHUB_APP_PRIVATE_KEY: 'hunter2' })).toThrow(
      /not a PEM private key/,
    );
    expect(() =>
      readGitHubAppConfig({ ...base, GUARD_GITHUB_APP_PRIVATE_KEY: '@/nonexistent/key.pem' }),
    ).toThrow(/cannot read/);
    expect(() =>
      readGitHubAppConfig({
        ...base,
        GUARD_GITHUB_APP_PRIVATE_KEY: PEM,
        GUARD_GITHUB_API_URL: 'http://api.example.com',
      }),
    ).toThrow(/must use https/);
  });
});

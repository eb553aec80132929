// Encryption at rest for what the server must keep secret (its signing keys, brokered credentials):
// AES-256-GCM under one server secret. The secret never lives in the database it protects.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { GuardError } from '../lib/errors.js';

export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
}

export function secretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new TypeError('secretBox: the key must be 32 bytes');
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `v1.${iv.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${body.toString('base64url')}`;
    },
    open(sealed) {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== 'v1' || !iv || !tag || body === undefined) {
        throw new GuardError(
          'CONFIG_INVALID',
          'guard server: a sealed value in the database is not in a known format',
        );
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
          'utf8',
        );
      } catch (error) {
        throw new GuardError(
          'CONFIG_INVALID',
          'guard server: cannot decrypt a stored secret; is GUARD_SECRET_KEY the key this database was created with?',
          { cause: error },
        );
      }
    },
  };
}

/**
 * GUARD_SECRET_KEY (32 bytes, base64) when given. Otherwise, for the embedded database only, a key file
 * created beside the data (0600) - convenient for one machine; a PostgreSQL deployment must set the key,
 * because replicas share the database and must share the key too.
 */
export async function loadServerSecret(options: {
  secretKey?: string;
  dataDir?: string;
  databaseUrl?: string;
}): Promise<Buffer> {
  if (options.secretKey) {
    const key = Buffer.from(options.secretKey, 'base64');
    if (key.length !== 32)
      throw new GuardError(
        'CONFIG_INVALID',
        'guard server: GUARD_SECRET_KEY must be 32 bytes in base64 (e.g. `openssl rand -base64 32`)',
      );
    return key;
  }
  if (options.databaseUrl) {
    throw new GuardError(
      'CONFIG_INVALID',
      'guard server: with DATABASE_URL, set GUARD_SECRET_KEY (32 bytes, base64; the same on every replica) so stored keys are encrypted at rest',
    );
  }
  if (!options.dataDir) return randomBytes(32);
  // Beside the data folder, not in it: the folder is PostgreSQL's own.
  const file = `${options.dataDir.replace(/\/+$/, '')}.secret.key`;
  try {
    return Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
  } catch {
    await mkdir(dirname(file), { recursive: true });
    const key = randomBytes(32);
    await writeFile(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    await chmod(file, 0o600);
    return key;
  }
}

import { createHash, randomBytes } from 'node:crypto';

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A bearer credential: a readable prefix (so secret scanners and the masker know it) and 256 random bits. */
export function newCredential(prefix: 'gs' | 'gr'): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

export function newId(bytes = 8): string {
  return randomBytes(bytes).toString('hex');
}

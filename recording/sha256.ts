import { createHash } from 'node:crypto';

/** Hex sha256 of a string (as UTF-8) or bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The head every chain starts from when it does not continue another one. */
export const GENESIS_HEAD = '0'.repeat(64);

/** One link: the new head commits to the previous head and the exact bytes of the line. */
export function chainLink(previousHead: string, line: string): string {
  return sha256Hex(`${previousHead}\n${line}`);
}

export function isSha256Hex(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{64}$/.test(value);
}

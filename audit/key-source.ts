// Where a verifier gets its trusted keys: files it was handed (offline), or the server's well-known URL.
import { readFile } from 'node:fs/promises';
import { GuardError, describeError } from '../lib/errors.js';
import { KEYS_WELL_KNOWN_PATH, parseTrustedKeys } from './signing-keys.js';
import type { TrustedKey } from './signing-keys.js';

export async function loadTrustedKeys(
  keyFiles: string[],
  serverUrl: string | undefined,
): Promise<TrustedKey[]> {
  const keys: TrustedKey[] = [];
  for (const file of keyFiles) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new GuardError('BAD_INPUT', `guard: cannot read the key file ${file}: ${describeError(error)}`, {
        cause: error,
      });
    }
    keys.push(...parseTrustedKeys(text));
  }
  if (serverUrl !== undefined) keys.push(...(await fetchServerKeys(serverUrl)));
  if (keys.length === 0) {
    throw new GuardError(
      'BAD_INPUT',
      'guard: no trusted keys: give --key FILE (the output of `guard server keys`, works offline) or --server URL',
    );
  }
  return keys;
}

export async function fetchServerKeys(serverUrl: string): Promise<TrustedKey[]> {
  const url = new URL(KEYS_WELL_KNOWN_PATH, serverUrl);
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: 'application/json' } });
  } catch (error) {
    throw new GuardError(
      'SERVER_UNREACHABLE',
      `guard: cannot fetch the server's keys from ${url.href}: ${describeError(error)}`,
      { cause: error },
    );
  }
  if (!response.ok)
    throw new GuardError(
      'SERVER_ERROR',
      `guard: ${url.href} answered ${response.status}; is ${serverUrl} a guard server?`,
    );
  return parseTrustedKeys(await response.text());
}

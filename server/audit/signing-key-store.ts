// The server's signing keys in its database, private halves sealed with the server secret. The newest key
// without notAfter signs; retired keys stay published so every bundle they signed keeps verifying.
import {
  exportSigningKey,
  importSigningKey,
  keysDocument,
  rotateKeySet,
  type KeySet,
  type KeysDocument,
  type SigningKey,
} from '../../audit/signing-keys.js';
import type { SecretBox } from '../secret-box.js';
import type { Queryable } from '../storage/database.js';

interface KeyRow {
  key_id: string;
  algorithm: string;
  private_key_sealed: string;
  not_before: string;
  not_after: string | null;
}

export async function loadKeySet(db: Queryable, box: SecretBox): Promise<KeySet | undefined> {
  const { rows } = await db.query<KeyRow>(
    'select key_id, algorithm, private_key_sealed, not_before, not_after from signing_keys order by not_before desc, key_id',
  );
  const keys: SigningKey[] = rows.map((row) =>
    importSigningKey({
      keyid: row.key_id,
      algorithm: row.algorithm as SigningKey['algorithm'],
      privateKeyPem: box.open(row.private_key_sealed),
      notBefore: row.not_before,
      ...(row.not_after ? { notAfter: row.not_after } : {}),
    }),
  );
  const active = keys.find((key) => key.notAfter === undefined);
  if (!active) return undefined;
  return { active, retired: keys.filter((key) => key !== active) };
}

/** The key set, creating the first key on first use (under a lock, so replicas agree on one). */
export async function ensureKeySet(
  db: { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> },
  box: SecretBox,
  now = new Date(),
): Promise<KeySet> {
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock(724212)');
    const existing = await loadKeySet(tx, box);
    if (existing) return existing;
    const set = rotateKeySet(undefined, 'ed25519', now);
    await storeKey(tx, box, set.active);
    return set;
  });
}

/** Retires the active key and starts a new one. */
export async function rotateKeys(
  db: { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> },
  box: SecretBox,
  now = new Date(),
): Promise<KeySet> {
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock(724212)');
    const current = await loadKeySet(tx, box);
    const next = rotateKeySet(current, 'ed25519', now);
    if (current)
      await tx.query('update signing_keys set not_after = $2 where key_id = $1', [
        current.active.keyId,
        now.toISOString(),
      ]);
    await storeKey(tx, box, next.active);
    return next;
  });
}

export function publicKeys(set: KeySet): KeysDocument {
  return keysDocument(set);
}

async function storeKey(tx: Queryable, box: SecretBox, key: SigningKey): Promise<void> {
  const stored = exportSigningKey(key);
  await tx.query(
    'insert into signing_keys (key_id, algorithm, private_key_sealed, not_before) values ($1, $2, $3, $4)',
    [stored.keyid, stored.algorithm, box.seal(stored.privateKeyPem), stored.notBefore],
  );
}

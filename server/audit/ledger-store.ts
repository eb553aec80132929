// The evidence ledger in the database: appended inside the transaction that closes a session, with a signed
// checkpoint over the new head, and exported as JSON lines for SIEMs and `guard audit verify-ledger`.
import {
  appendLedgerEntry,
  ledgerExportLine,
  signCheckpoint,
  type LedgerCheckpoint,
  type LedgerEntry,
  type LedgerFields,
} from '../../audit/ledger.js';
import type { DsseSigningKey } from '../../audit/dsse.js';
import type { Queryable } from '../storage/database.js';

interface LedgerRow {
  seq: string | number;
  kind: 'session' | 'retention';
  session_id: string | null;
  repository: string | null;
  manifest_sha256: string | null;
  through_seq: string | number | null;
  through_hash: string | null;
  reason: string | null;
  at: string;
  prev: string;
  hash: string;
}

export async function appendToLedger(
  tx: Queryable,
  fields: LedgerFields,
  key: DsseSigningKey,
  now: Date,
): Promise<LedgerEntry> {
  // One writer at a time across replicas, so seq and prev never fork.
  await tx.query('select pg_advisory_xact_lock(724213)');
  const last = (await tx.query<LedgerRow>('select * from ledger order by seq desc limit 1')).rows[0];
  const entry = appendLedgerEntry(last ? { seq: Number(last.seq), hash: last.hash } : undefined, fields, now);
  await tx.query(
    `insert into ledger (seq, kind, session_id, repository, manifest_sha256, through_seq, through_hash, reason, at, prev, hash)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      entry.seq,
      entry.kind,
      entry.sessionId ?? null,
      entry.repository ?? null,
      entry.manifestSha256 ?? null,
      entry.throughSeq ?? null,
      entry.throughHash ?? null,
      entry.reason ?? null,
      entry.at,
      entry.prev,
      entry.hash,
    ],
  );
  const checkpoint = signCheckpoint(entry, key, now);
  await tx.query('insert into ledger_checkpoints (seq, hash, at, envelope) values ($1, $2, $3, $4)', [
    checkpoint.seq,
    checkpoint.hash,
    checkpoint.at,
    JSON.stringify(checkpoint.envelope),
  ]);
  return entry;
}

export function toEntry(row: LedgerRow): LedgerEntry {
  const entry: LedgerEntry = {
    seq: Number(row.seq),
    kind: row.kind,
    at: row.at,
    prev: row.prev,
    hash: row.hash,
  };
  if (row.session_id !== null) entry.sessionId = row.session_id;
  if (row.repository !== null) entry.repository = row.repository;
  if (row.manifest_sha256 !== null) entry.manifestSha256 = row.manifest_sha256;
  if (row.through_seq !== null) entry.throughSeq = Number(row.through_seq);
  if (row.through_hash !== null) entry.throughHash = row.through_hash;
  if (row.reason !== null) entry.reason = row.reason;
  return entry;
}

/** Rows (and the checkpoints among them) from `since` on, optionally one repository's: JSON lines. */
export async function exportLedger(
  db: Queryable,
  options: { since?: string; repository?: string },
): Promise<string> {
  const params: unknown[] = [];
  const where: string[] = [];
  if (options.since) {
    params.push(options.since);
    where.push(`at >= $${params.length}`);
  }
  if (options.repository) {
    params.push(options.repository);
    where.push(`(repository = $${params.length} or kind = 'retention')`);
  }
  const rows = (
    await db.query<LedgerRow>(
      `select * from ledger ${where.length ? `where ${where.join(' and ')}` : ''} order by seq`,
      params,
    )
  ).rows.map(toEntry);
  const seqs = rows.map((row) => row.seq);
  const checkpoints = seqs.length
    ? (
        await db.query<{
          seq: string | number;
          hash: string;
          at: string;
          envelope: LedgerCheckpoint['envelope'];
        }>('select * from ledger_checkpoints where seq >= $1 and seq <= $2 order by seq', [
          Math.min(...seqs),
          Math.max(...seqs),
        ])
      ).rows.map((row): LedgerCheckpoint => ({
        seq: Number(row.seq),
        hash: row.hash,
        at: row.at,
        envelope: row.envelope,
      }))
    : [];
  return [...rows, ...checkpoints].map((item) => ledgerExportLine(item)).join('');
}

/**
 * Retention: rows older than `days` go, but only after a `retention` row records through which row and
 * which head they went, so the deletion is itself evidence and a verifier can tell it from tampering.
 */
export async function applyRetention(
  db: { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> },
  days: number,
  key: DsseSigningKey,
  now: Date,
): Promise<number> {
  return db.transaction(async (tx) => {
    const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString();
    const last = (
      await tx.query<LedgerRow>(
        `select * from ledger where at < $1 and kind = 'session' order by seq desc limit 1`,
        [cutoff],
      )
    ).rows[0];
    if (!last) return 0;
    await appendToLedger(
      tx,
      {
        kind: 'retention',
        throughSeq: Number(last.seq),
        throughHash: last.hash,
        reason: `retention: older than ${days} days`,
      },
      key,
      now,
    );
    await tx.query(`select set_config('guard.retention', 'on', true)`);
    const deleted = await tx.query('delete from ledger where seq <= $1', [last.seq]);
    await tx.query('delete from ledger_checkpoints where seq <= $1', [last.seq]);
    return deleted.rowCount;
  });
}

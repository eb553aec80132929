// The server's append-only ledger of closed sessions: each row chains to the one before and carries the
// session's manifest digest; signed checkpoints over (seq, hash) pin the chain, so a deleted bundle shows as a
// ledger row without an artifact and an altered, deleted or truncated row is found. Retention deletes the
// oldest rows only through a `retention` row that records what went and the head it ended at. Pure.

import type { KeyObject } from 'node:crypto';
import { canonicalJson } from '../recording/canonical-json.js';
import { GENESIS_HEAD, isSha256Hex, sha256Hex } from '../recording/sha256.js';
import { dsseSign, dsseVerify } from './dsse.js';
import type { DsseEnvelope, DsseSigningKey } from './dsse.js';
import type { TrustedKey } from './signing-keys.js';

export interface LedgerEntry {
  seq: number;
  kind: 'session' | 'retention';
  /** session rows */
  sessionId?: string;
  repository?: string;
  manifestSha256?: string;
  /** retention rows: rows 1..throughSeq were deleted; throughHash is the hash row throughSeq had */
  throughSeq?: number;
  throughHash?: string;
  reason?: string;
  at: string;
  prev: string;
  hash: string;
}

export type LedgerFields =
  | { kind: 'session'; sessionId: string; repository: string; manifestSha256: string }
  | { kind: 'retention'; throughSeq: number; throughHash: string; reason: string };

export function appendLedgerEntry(
  previous: Pick<LedgerEntry, 'seq' | 'hash'> | undefined,
  fields: LedgerFields,
  at = new Date(),
): LedgerEntry {
  const body = {
    ...fields,
    seq: (previous?.seq ?? 0) + 1,
    at: at.toISOString(),
    prev: previous?.hash ?? GENESIS_HEAD,
  };
  return { ...body, hash: ledgerEntryHash(body) };
}

export function ledgerEntryHash(entry: Omit<LedgerEntry, 'hash'> | LedgerEntry): string {
  const { hash: _ignored, ...body } = entry as LedgerEntry;
  return sha256Hex(canonicalJson(body));
}

export interface LedgerCheckpoint {
  seq: number;
  hash: string;
  at: string;
  envelope: DsseEnvelope;
}

export const CHECKPOINT_PAYLOAD_TYPE = 'application/vnd.guard.ledger-checkpoint+json';

export function signCheckpoint(
  entry: Pick<LedgerEntry, 'seq' | 'hash'>,
  key: DsseSigningKey,
  at = new Date(),
): LedgerCheckpoint {
  const payload = { seq: entry.seq, hash: entry.hash, at: at.toISOString() };
  return {
    ...payload,
    envelope: dsseSign(Buffer.from(canonicalJson(payload)), CHECKPOINT_PAYLOAD_TYPE, key),
  };
}

export interface LedgerProblem {
  seq?: number;
  message: string;
}

export interface LedgerVerification {
  ok: boolean;
  problems: LedgerProblem[];
  head: string;
  /** rows present */
  count: number;
  firstSeq?: number;
  lastSeq?: number;
  /** highest checkpoint that verified */
  checkpointSeq?: number;
}

export interface VerifyLedgerOptions {
  /** The rows are an export from some seq on (`since`): rows before the first one are not expected. */
  partial?: boolean;
}

export function verifyLedger(
  rows: LedgerEntry[],
  checkpoints: LedgerCheckpoint[],
  keys: TrustedKey[],
  options: VerifyLedgerOptions = {},
): LedgerVerification {
  const problems: LedgerProblem[] = [];
  const result: LedgerVerification = { ok: false, problems, head: GENESIS_HEAD, count: rows.length };
  const bySeq = new Map<number, LedgerEntry>();
  const first = rows[0];
  if (first !== undefined && first.seq !== 1 && !options.partial) {
    // The oldest rows are gone: only a retention row that names exactly them makes that legitimate.
    const retention = rows.find((r) => r.kind === 'retention' && r.throughSeq === first.seq - 1);
    if (retention === undefined || retention.throughHash !== first.prev) {
      problems.push({
        seq: 1,
        message: `rows 1-${first.seq - 1} are missing and no retention row records their deletion (rows were deleted)`,
      });
    }
  }
  let prevHash = first?.seq === 1 ? GENESIS_HEAD : (first?.prev ?? GENESIS_HEAD);
  let expectedSeq = first?.seq ?? 1;
  for (const row of rows) {
    if (problems.length > 0) break; // later links all depend on the first break
    if (!Number.isInteger(row.seq) || !isSha256Hex(row.prev) || !isSha256Hex(row.hash)) {
      problems.push({ seq: row.seq, message: `row ${String(row.seq)} is malformed (needs seq, prev, hash)` });
    } else if (ledgerEntryHash(row) !== row.hash) {
      problems.push({ seq: row.seq, message: `row ${row.seq} does not match its hash (the row was edited)` });
    } else if (row.seq !== expectedSeq) {
      problems.push({
        seq: expectedSeq,
        message:
          row.seq > expectedSeq
            ? `row ${row.seq} follows row ${expectedSeq - 1}: ${row.seq - expectedSeq === 1 ? `row ${expectedSeq} is` : `rows ${expectedSeq}-${row.seq - 1} are`} missing (deleted)`
            : `row ${row.seq} appears after row ${expectedSeq - 1} (rows were reordered or duplicated)`,
      });
    } else if (row.prev !== prevHash) {
      problems.push({
        seq: row.seq,
        message: `row ${row.seq}: prev does not match row ${row.seq - 1}'s hash (row ${row.seq - 1} was rewritten or replaced)`,
      });
    }
    prevHash = row.hash;
    expectedSeq = row.seq + 1;
    bySeq.set(row.seq, row);
  }
  result.head = prevHash;
  result.firstSeq = first?.seq;
  result.lastSeq = rows.at(-1)?.seq;
  if (problems.length === 0) checkCheckpoints(checkpoints, keys, bySeq, result);
  result.ok = problems.length === 0;
  return result;
}

function checkCheckpoints(
  checkpoints: LedgerCheckpoint[],
  keys: TrustedKey[],
  bySeq: Map<number, LedgerEntry>,
  result: LedgerVerification,
): void {
  const trusted = new Map<string, KeyObject>(
    keys.filter((k) => !k.revoked).map((k) => [k.keyId, k.publicKey]),
  );
  const firstSeq = result.firstSeq ?? 1;
  for (const cp of checkpoints) {
    const verified = dsseVerify(cp.envelope, trusted);
    if (!verified.ok || verified.payloadType !== CHECKPOINT_PAYLOAD_TYPE) {
      result.problems.push({
        seq: cp.seq,
        message: `checkpoint at row ${cp.seq}: ${verified.problem ?? 'wrong payload type'}`,
      });
      continue;
    }
    const signed = JSON.parse(verified.payload!.toString('utf8')) as {
      seq: number;
      hash: string;
      at: string;
    };
    if (signed.seq !== cp.seq || signed.hash !== cp.hash) {
      result.problems.push({
        seq: cp.seq,
        message: `checkpoint at row ${cp.seq}: its fields differ from what was signed (the checkpoint was edited)`,
      });
      continue;
    }
    if (signed.seq < firstSeq) continue; // that row was deleted under retention
    const row = bySeq.get(signed.seq);
    if (row === undefined) {
      result.problems.push({
        seq: signed.seq,
        message: `checkpoint signed at ${signed.at} covers row ${signed.seq} but the ledger ends at row ${result.lastSeq ?? 0} (the ledger was truncated)`,
      });
    } else if (row.hash !== signed.hash) {
      result.problems.push({
        seq: signed.seq,
        message: `row ${signed.seq} has hash ${row.hash.slice(0, 12)}... but the checkpoint signed ${signed.hash.slice(0, 12)}... (the ledger was rewritten after the checkpoint)`,
      });
    } else {
      result.checkpointSeq = Math.max(result.checkpointSeq ?? 0, signed.seq);
    }
  }
}

/** JSON lines for a SIEM and for `guard audit verify-ledger`: rows, then checkpoints, each tagged. */
export function ledgerExportLine(item: LedgerEntry | LedgerCheckpoint): string {
  return `${JSON.stringify('envelope' in item ? { type: 'checkpoint', ...item } : { type: 'ledger.entry', ...item })}\n`;
}

export function parseLedgerExport(text: string): { rows: LedgerEntry[]; checkpoints: LedgerCheckpoint[] } {
  const rows: LedgerEntry[] = [];
  const checkpoints: LedgerCheckpoint[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    let value: { type?: string } & Record<string, unknown>;
    try {
      value = JSON.parse(line) as typeof value;
    } catch {
      throw new TypeError(`ledger export line ${i + 1} is not JSON`);
    }
    const { type, ...rest } = value;
    if (type === 'checkpoint') checkpoints.push(rest as unknown as LedgerCheckpoint);
    else if (type === 'ledger.entry') rows.push(rest as unknown as LedgerEntry);
  }
  return { rows, checkpoints };
}

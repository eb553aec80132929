import { describe, expect, it } from 'vitest';
import {
  appendLedgerEntry,
  ledgerEntryHash,
  ledgerExportLine,
  parseLedgerExport,
  signCheckpoint,
  verifyLedger,
} from './ledger.js';
import type { LedgerCheckpoint, LedgerEntry } from './ledger.js';
import { generateSigningKey, parseTrustedKeys, publishKey } from './signing-keys.js';

const key = generateSigningKey();
const keys = parseTrustedKeys(JSON.stringify({ keys: [publishKey(key)] }));

function ledger(n: number, checkpointEvery = 3): { rows: LedgerEntry[]; checkpoints: LedgerCheckpoint[] } {
  const rows: LedgerEntry[] = [];
  const checkpoints: LedgerCheckpoint[] = [];
  for (let i = 1; i <= n; i += 1) {
    rows.push(
      appendLedgerEntry(rows.at(-1), {
        kind: 'session',
        sessionId: `s${i}`,
        repository: 'acme/shop',
        manifestSha256: String(i % 10).repeat(64),
      }),
    );
    if (i % checkpointEvery === 0) checkpoints.push(signCheckpoint(rows.at(-1)!, key));
  }
  return { rows, checkpoints };
}

describe('ledger', () => {
  it('verifies an intact ledger and its checkpoints, also through the export format', () => {
    const { rows, checkpoints } = ledger(9);
    const text = [...rows, ...checkpoints].map(ledgerExportLine).join('');
    const parsed = parseLedgerExport(text);
    expect(verifyLedger(parsed.rows, parsed.checkpoints, keys)).toMatchObject({
      ok: true,
      problems: [],
      count: 9,
      checkpointSeq: 9,
    });
  });

  it('names an edited row', () => {
    const { rows, checkpoints } = ledger(6);
    rows[3] = { ...rows[3]!, manifestSha256: 'f'.repeat(64) };
    expect(verifyLedger(rows, checkpoints, keys).problems).toEqual([
      { seq: 4, message: 'row 4 does not match its hash (the row was edited)' },
    ]);
  });

  it('names an edited row whose hash was recomputed', () => {
    const { rows, checkpoints } = ledger(6);
    const forged = { ...rows[3]!, repository: 'acme/other' };
    rows[3] = { ...forged, hash: ledgerEntryHash(forged) };
    expect(verifyLedger(rows, checkpoints, keys).problems).toEqual([
      { seq: 5, message: "row 5: prev does not match row 4's hash (row 4 was rewritten or replaced)" },
    ]);
  });

  it('names a deleted row', () => {
    const { rows, checkpoints } = ledger(6);
    rows.splice(2, 1);
    expect(verifyLedger(rows, checkpoints, keys).problems).toEqual([
      { seq: 3, message: 'row 4 follows row 2: row 3 is missing (deleted)' },
    ]);
  });

  it('names a truncated ledger from its last checkpoint', () => {
    const { rows, checkpoints } = ledger(6);
    const cut = rows.slice(0, 4);
    const { problems } = verifyLedger(cut, checkpoints, keys);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.seq).toBe(6);
    expect(problems[0]!.message).toMatch(
      /^checkpoint signed at .* covers row 6 but the ledger ends at row 4 \(the ledger was truncated\)$/,
    );
  });

  it('names a rewritten tail that no longer matches a checkpoint', () => {
    const { rows, checkpoints } = ledger(6);
    // Rebuild rows 4-6 consistently (as a database admin could) - the signed checkpoint at 6 still catches it.
    const rebuilt = rows.slice(0, 3);
    for (let i = 4; i <= 6; i += 1)
      rebuilt.push(
        appendLedgerEntry(rebuilt.at(-1), {
          kind: 'session',
          sessionId: `x${i}`,
          repository: 'acme/shop',
          manifestSha256: '0'.repeat(64),
        }),
      );
    expect(verifyLedger(rebuilt, checkpoints, keys).problems[0]!.message).toMatch(
      /^row 6 has hash .* but the checkpoint signed .* \(the ledger was rewritten after the checkpoint\)$/,
    );
  });

  it('accepts deletion under retention only when a retention row records it', () => {
    const { rows, checkpoints } = ledger(6);
    const retention = appendLedgerEntry(rows.at(-1), {
      kind: 'retention',
      throughSeq: 3,
      throughHash: rows[2]!.hash,
      reason: 'retention 400d',
    });
    const kept = [...rows.slice(3), retention];
    expect(verifyLedger(kept, [...checkpoints, signCheckpoint(retention, key)], keys)).toMatchObject({
      ok: true,
      firstSeq: 4,
      lastSeq: 7,
    });
    expect(verifyLedger(rows.slice(3), checkpoints, keys).problems).toEqual([
      {
        seq: 1,
        message: 'rows 1-3 are missing and no retention row records their deletion (rows were deleted)',
      },
    ]);
  });

  it('names a checkpoint signed by an unknown key or edited', () => {
    const { rows, checkpoints } = ledger(3);
    const other = generateSigningKey();
    expect(verifyLedger(rows, [signCheckpoint(rows[2]!, other)], keys).problems[0]!.message).toMatch(
      /^checkpoint at row 3: signed by sha256:.* not among the 1 trusted key/,
    );
    const edited = { ...checkpoints[0]!, hash: 'e'.repeat(64) };
    expect(verifyLedger(rows, [edited], keys).problems[0]!.message).toBe(
      'checkpoint at row 3: its fields differ from what was signed (the checkpoint was edited)',
    );
  });
});

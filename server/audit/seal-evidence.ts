// Sealing a job's evidence when its session closes: the manifest is checked against the server's record,
// signed (DSSE over an in-toto Statement), and its digest appended to the ledger, all in the transaction
// that closes the session.
import { parseManifest } from '../../audit/manifest.js';
import type { DsseEnvelope } from '../../audit/dsse.js';
import { signManifest } from '../../audit/sign-manifest.js';
import type { LedgerEntry } from '../../audit/ledger.js';
import { sha256Hex } from '../../lib/digest.js';
import { GuardError } from '../../lib/errors.js';
import type { ServerContext } from '../context.js';
import { recordEvent } from '../events.js';
import type { SessionRow } from '../sessions.js';
import type { Queryable } from '../storage/database.js';
import { deploymentRecord } from '../deployment-link.js';
import { appendToLedger } from './ledger-store.js';
import { compareManifest, type ServerStep } from './manifest-check.js';
import type { KeySet } from '../../audit/signing-keys.js';

export interface Sealed {
  manifestSha256: string;
  envelope: DsseEnvelope | null;
  ledger: Pick<LedgerEntry, 'seq' | 'hash'>;
  problems: string[];
}

/** `keys` is loaded before the closing transaction: PGlite has one connection, so no second transaction may open inside it. */
export async function sealEvidence(
  ctx: ServerContext,
  tx: Queryable,
  keys: KeySet,
  session: SessionRow,
  manifestText: string,
): Promise<Sealed> {
  const bytes = Buffer.from(manifestText, 'utf8');
  const manifestSha256 = sha256Hex(bytes);
  const manifest = parseManifest(bytes);
  if (typeof manifest === 'string')
    throw new GuardError('BAD_INPUT', `guard: the audit manifest cannot be read: ${manifest}`);
  const problems = compareManifest(manifest, {
    id: session.id,
    job: session.job,
    claims: session.claims,
    steps: await serverSteps(tx, session.id),
    deployment: await deploymentRecord(tx, session.id),
  });
  const now = ctx.now();
  // A manifest the server cannot vouch for is still recorded in the ledger (its digest), so its existence is
  // evidence too; it is just not signed.
  const envelope = problems.length === 0 ? signManifest(bytes, keys.active, now) : null;
  if (problems.length > 0)
    await recordEvent(tx, session.id, 'security.evidence-mismatch', {
      manifest_sha256: manifestSha256,
      problems,
    });
  const entry = await appendToLedger(
    tx,
    { kind: 'session', sessionId: session.id, repository: session.repository, manifestSha256 },
    keys.active,
    now,
  );
  await recordEvent(tx, session.id, 'evidence.sealed', {
    manifest_sha256: manifestSha256,
    signed: envelope !== null,
    key: keys.active.keyId,
    ledger_seq: entry.seq,
  });
  return { manifestSha256, envelope, ledger: { seq: entry.seq, hash: entry.hash }, problems };
}

async function serverSteps(tx: Queryable, sessionId: string): Promise<ServerStep[]> {
  const { rows } = await tx.query<{
    id: string;
    seq: number;
    name: string;
    script_sha256: string;
    decision: string;
    status: string;
    exit_code: number | null;
    cast_sha256: string | null;
  }>(
    'select id, seq, name, script_sha256, decision, status, exit_code, cast_sha256 from steps where session_id = $1 order by seq',
    [sessionId],
  );
  const votes = await tx.query<{ step_id: string; reviewer: string }>(
    `select a.step_id, v.reviewer from approvals a join approval_votes v on v.approval_id = a.id
      where a.session_id = $1 and a.kind = 'step' and a.status = 'approved' and v.decision = 'approve'`,
    [sessionId],
  );
  return rows.map((row) => ({
    seq: row.seq,
    name: row.name,
    scriptSha256: row.script_sha256,
    decision: row.decision,
    status: row.status,
    exitCode: row.exit_code,
    castSha256: row.cast_sha256,
    approvedBy: votes.rows.filter((vote) => vote.step_id === row.id).map((vote) => vote.reviewer),
  }));
}

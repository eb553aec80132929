// Verifies an audit bundle offline: the DSSE signature with a trusted key valid at signing time, the signed
// digests of manifest.json and every file, each file against the manifest, and every hash chain. Each problem
// names the file (and line/event) so the first bad one can be read off.

import { createHash } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { verifyCast } from '../recording/cast-verify.js';
import { verifyEventChain } from '../recording/event-chain.js';
import { loadBundle } from './bundle-files.js';
import type { BundleFiles } from './bundle-files.js';
import { dsseVerify } from './dsse.js';
import { IN_TOTO_PAYLOAD_TYPE, parseStatement } from './in-toto.js';
import type { Statement } from './in-toto.js';
import { ENVELOPE_FILE, EVENTS_FILE, MANIFEST_FILE, parseManifest } from './manifest.js';
import type { Manifest } from './manifest.js';
import type { TrustedKey } from './signing-keys.js';

export interface BundleProblem {
  file?: string;
  /** 1-based line in the file */
  line?: number;
  /** event seq (events.jsonl) or recorded line index (.cast) */
  event?: number;
  message: string;
}

export interface StepSummary {
  n: number;
  name: string;
  kind: string;
  decision: string;
  exitCode: number | null;
  reviewers: string[];
  statements: number;
  masked: number;
}

export interface BundleSummary {
  sessionId?: string;
  repository?: string;
  runId?: string;
  runAttempt?: string;
  job?: string;
  workflow?: string;
  ref?: string;
  sha?: string;
  actor?: string;
  policy?: string;
  keyId?: string;
  signedAt?: string;
  /** The deployment gate approval that let the job start, as one line; absent when there was none. */
  deployment?: string;
  steps: StepSummary[];
  statements: number;
  maskedByType: Record<string, number>;
}

export interface BundleVerification {
  ok: boolean;
  problems: BundleProblem[];
  summary: BundleSummary;
}

export interface VerifyOptions {
  keys: TrustedKey[];
}

export async function verifyBundle(dirOrZip: string, options: VerifyOptions): Promise<BundleVerification> {
  return verifyBundleFiles(await loadBundle(dirOrZip), options);
}

export function verifyBundleFiles(files: BundleFiles, options: VerifyOptions): BundleVerification {
  const problems: BundleProblem[] = [];
  const summary: BundleSummary = { steps: [], statements: 0, maskedByType: {} };
  const result = () => ({ ok: problems.length === 0, problems, summary });

  const statement = checkSignature(files, options.keys, problems, summary);
  const manifestBytes = files.get(MANIFEST_FILE);
  if (manifestBytes === undefined) {
    problems.push({ file: MANIFEST_FILE, message: 'missing: the bundle has no manifest.json' });
    return result();
  }
  const manifest = parseManifest(manifestBytes);
  if (typeof manifest === 'string') {
    problems.push({ file: MANIFEST_FILE, message: manifest });
    return result();
  }
  summarise(manifest, summary);
  if (statement !== undefined) checkStatementCoversManifest(statement, manifestBytes, manifest, problems);
  checkFiles(files, manifest, problems);
  checkChains(files, manifest, problems);
  return result();
}

function checkSignature(
  files: BundleFiles,
  keys: TrustedKey[],
  problems: BundleProblem[],
  summary: BundleSummary,
): Statement | undefined {
  const file = ENVELOPE_FILE;
  const bytes = files.get(file);
  if (bytes === undefined) {
    problems.push({ file, message: 'missing: the bundle is not signed (manifest.dsse.json is absent)' });
    return undefined;
  }
  let envelope: unknown;
  try {
    envelope = JSON.parse(bytes.toString('utf8'));
  } catch {
    problems.push({ file, message: 'not valid JSON' });
    return undefined;
  }
  const trusted = new Map<string, KeyObject>(
    keys.filter((k) => !k.revoked).map((k) => [k.keyId, k.publicKey]),
  );
  const verified = dsseVerify(envelope, trusted);
  if (!verified.ok) {
    const revoked = keys.find((k) => k.revoked && verified.signatures.some((s) => s.keyid === k.keyId));
    problems.push({
      file,
      message: revoked
        ? `signed by key ${revoked.keyId}, which is revoked: nothing it signed is trusted`
        : verified.problem!,
    });
    return undefined;
  }
  if (verified.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    problems.push({ file, message: `payloadType is ${verified.payloadType}, not ${IN_TOTO_PAYLOAD_TYPE}` });
    return undefined;
  }
  const statement = parseStatement(verified.payload!);
  if (typeof statement === 'string') {
    problems.push({ file, message: statement });
    return undefined;
  }
  const key = keys.find((k) => k.keyId === verified.keyId)!;
  summary.keyId = key.keyId;
  summary.signedAt = statement.predicate.signedAt;
  const at = statement.predicate.signedAt;
  if (key.notBefore !== undefined && at < key.notBefore) {
    problems.push({
      file,
      message: `signed at ${at} by key ${key.keyId}, before that key's validity began (${key.notBefore})`,
    });
  }
  if (key.notAfter !== undefined && at >= key.notAfter) {
    problems.push({
      file,
      message: `signed at ${at} by key ${key.keyId}, after that key expired (${key.notAfter})`,
    });
  }
  return statement;
}

function checkStatementCoversManifest(
  statement: Statement,
  manifestBytes: Buffer,
  manifest: Manifest,
  problems: BundleProblem[],
): void {
  const signed = new Map(statement.subject.map((s) => [s.name, s.digest.sha256]));
  const actual = sha256(manifestBytes);
  const signedManifest = signed.get(MANIFEST_FILE);
  if (signedManifest !== actual) {
    problems.push({
      file: MANIFEST_FILE,
      message: `sha256 mismatch (the signed statement says ${signedManifest ?? 'nothing'}, file has ${actual}): the manifest was edited after signing`,
    });
  }
  for (const f of manifest.files) {
    const s = signed.get(f.path);
    if (s === undefined)
      problems.push({ file: f.path, message: 'listed in manifest.json but not in the signed statement' });
    else if (s !== f.sha256)
      problems.push({
        file: f.path,
        message: `manifest.json and the signed statement disagree on its sha256`,
      });
  }
  for (const name of signed.keys()) {
    if (name !== MANIFEST_FILE && !manifest.files.some((f) => f.path === name)) {
      problems.push({
        file: name,
        message: 'signed, but no longer listed in manifest.json (removed from the manifest)',
      });
    }
  }
  const p = statement.predicate;
  if (
    p.sessionId !== manifest.sessionId ||
    p.repository !== manifest.identity.repository ||
    p.runId !== manifest.identity.run_id
  ) {
    problems.push({
      file: MANIFEST_FILE,
      message: 'the session, repository or run in manifest.json differ from the signed statement',
    });
  }
}

function checkFiles(files: BundleFiles, manifest: Manifest, problems: BundleProblem[]): void {
  const expectedByDigest = new Map(manifest.files.map((f) => [f.sha256, f.path]));
  for (const f of manifest.files) {
    const bytes = files.get(f.path);
    if (bytes === undefined) {
      problems.push({
        file: f.path,
        message: 'missing: listed in the manifest but not in the bundle (the file was removed)',
      });
      continue;
    }
    const actual = sha256(bytes);
    if (actual === f.sha256) continue;
    const copyOf = expectedByDigest.get(actual);
    const why =
      copyOf !== undefined
        ? `; it is a copy of ${copyOf} (a file was replaced by another${copyOf.startsWith('steps/') ? " step's recording" : ''})`
        : bytes.length !== f.size
          ? ` and ${bytes.length} bytes where the manifest says ${f.size}`
          : '';
    problems.push({
      file: f.path,
      message: `sha256 mismatch (manifest says ${f.sha256.slice(0, 12)}..., file has ${actual.slice(0, 12)}...)${why}`,
    });
  }
  const listed = new Set(manifest.files.map((f) => f.path));
  for (const name of files.keys()) {
    if (name !== MANIFEST_FILE && name !== ENVELOPE_FILE && !listed.has(name)) {
      problems.push({ file: name, message: 'not listed in the manifest (added after signing)' });
    }
  }
}

function checkChains(files: BundleFiles, manifest: Manifest, problems: BundleProblem[]): void {
  for (const [path, expected] of Object.entries(manifest.chains)) {
    const bytes = files.get(path);
    if (bytes === undefined) continue; // already reported as missing
    const text = bytes.toString('utf8');
    if (path === EVENTS_FILE) {
      const v = verifyEventChain(text, expected);
      if (v.problem)
        problems.push({
          file: path,
          line: v.problem.line,
          ...(v.problem.seq === undefined ? {} : { event: v.problem.seq }),
          message: `line ${v.problem.line}: ${v.problem.message}`,
        });
    } else {
      const v = verifyCast(text, expected);
      if (v.problem)
        problems.push({
          file: path,
          line: v.problem.line,
          ...(v.problem.event === undefined ? {} : { event: v.problem.event }),
          message: `line ${v.problem.line}: ${v.problem.message}`,
        });
    }
  }
  for (const f of manifest.files) {
    const chained = f.path === EVENTS_FILE || f.path.endsWith('.cast');
    if (chained && manifest.chains[f.path] === undefined)
      problems.push({ file: f.path, message: 'has no chain head in the manifest' });
  }
}

function summarise(m: Manifest, summary: BundleSummary): void {
  const id = m.identity;
  Object.assign(summary, {
    sessionId: m.sessionId,
    repository: id.repository,
    runId: id.run_id,
    runAttempt: id.run_attempt,
    job: m.job,
    workflow: id.workflow,
    ref: id.ref,
    sha: id.sha,
    actor: id.actor,
    policy: [m.policy?.name, m.policy?.version ?? m.policy?.digest].filter(Boolean).join('@'),
  });
  if (m.deployment) {
    const d = m.deployment;
    const by = d.approvals.map((a) => `${a.reviewer} (${a.decision} via ${a.channel} at ${a.at})`);
    summary.deployment = `${d.environment}  sha ${d.sha.slice(0, 12)}  ${d.decision} ${d.decidedAt}  by ${by.join(', ') || '-'}  (approval ${d.approval})`;
  }
  for (const step of m.steps) {
    const statements = Object.values(step.sqlCounts ?? {}).reduce((a, b) => a + b, 0);
    const masked = Object.values(step.maskCounts ?? {}).reduce((a, b) => a + b, 0);
    for (const [type, n] of Object.entries(step.maskCounts ?? {}))
      summary.maskedByType[type] = (summary.maskedByType[type] ?? 0) + n;
    summary.statements += statements;
    summary.steps.push({
      n: step.n,
      name: step.name,
      kind: step.kind,
      decision: step.decision,
      exitCode: step.exitCode,
      reviewers: (step.approvals ?? []).map((a) => `${a.reviewer} (${a.decision} via ${a.channel})`),
      statements,
      masked,
    });
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

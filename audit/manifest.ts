// The audit manifest: what a bundle proves (who ran what, who approved it, what was masked) and the digests
// and chain heads that tie every file to it. Pure types and serialisation.

import type { JobClaims } from '../lib/claims.js';
import { canonicalJson } from '../recording/canonical-json.js';

export const MANIFEST_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';
export const ENVELOPE_FILE = 'manifest.dsse.json';
export const EVENTS_FILE = 'events.jsonl';

export interface ApprovalRecord {
  reviewer: string;
  /** Where it was given: pr-comment, check-run, review-page, deployment-protection-rule... */
  channel: string;
  at: string;
  decision: 'approved' | 'rejected';
  comment?: string;
}

/** A vote as the server records it (approval_votes, `approval.decided` events). */
export interface RecordedVote {
  reviewer: string;
  decision: string;
  channel: string;
  at: string;
  comment: string | null;
}

/** A vote as the manifest lists it. */
export function approvalRecord(vote: RecordedVote): ApprovalRecord {
  return {
    reviewer: vote.reviewer,
    channel: vote.channel,
    at: vote.at,
    decision: vote.decision === 'approve' ? 'approved' : 'rejected',
    ...(vote.comment ? { comment: vote.comment } : {}),
  };
}

/** `reviewer (channel)` for each approving vote, as summaries show who approved. */
export function approverLabels(approvals: readonly ApprovalRecord[]): string[] {
  return approvals
    .filter((vote) => vote.decision === 'approved')
    .map((vote) => `${vote.reviewer} (${vote.channel})`);
}

export interface StepRecord {
  n: number;
  name: string;
  /** shell, sql or ssh */
  kind: string;
  scriptSha256: string;
  /** The policy decision: allowed, approved, blocked, rejected, expired. */
  decision: string;
  approvals: ApprovalRecord[];
  exitCode: number | null;
  startedAt: string;
  endedAt?: string;
  castFile?: string;
  castSha256?: string;
  /** Mask hits by type (e.g. email: 3, aws-access-key: 1); counts only, never the values. */
  maskCounts: Record<string, number>;
  /** SQL statements by verb (select: 12, update: 1) for database steps. */
  sqlCounts?: Record<string, number>;
  /** best_effort recordings that lost data. */
  recordingGaps?: number;
}

/**
 * The deployment protection rule approval that let this job start (a job that targets a protected
 * environment whose gate is guard). The server links it to the job's session when the session opens and
 * checks it against its own record before it signs the manifest.
 */
export interface DeploymentRecord {
  /** The server's approval id. */
  approval: string;
  environment: string;
  /** GitHub's deployment id, when the request carried one. */
  deploymentId?: number;
  /** The commit the reviewers approved for this environment. */
  sha: string;
  decision: 'approved' | 'rejected';
  decidedAt: string;
  approvals: ApprovalRecord[];
}

export interface FileRecord {
  path: string;
  sha256: string;
  size: number;
}

export interface ChainHead {
  head: string;
  /** Lines in the chain: events for events.jsonl, header + events for a .cast. */
  count: number;
}

export interface PolicyRef {
  name: string;
  version?: string;
  digest?: string;
}

export interface Manifest {
  version: typeof MANIFEST_VERSION;
  sessionId: string;
  identity: JobClaims;
  /** The job id as in the workflow (github.job). */
  job: string;
  steps: StepRecord[];
  /** Present when a guard deployment gate approved the job's environment. */
  deployment?: DeploymentRecord;
  /** Every file of the bundle but manifest.json and manifest.dsse.json. */
  files: FileRecord[];
  /** Chain heads by file path (events.jsonl and every steps/<n>.cast). */
  chains: Record<string, ChainHead>;
  policy: PolicyRef;
  createdAt: string;
}

/** Deterministic bytes: keys sorted, two-space indent for people, trailing newline. */
export function serialiseManifest(manifest: Manifest): Buffer {
  const sorted = JSON.parse(canonicalJson(manifest)) as unknown;
  return Buffer.from(`${JSON.stringify(sorted, null, 2)}\n`, 'utf8');
}

/** Parses manifest.json enough to verify with it; returns a reason when it cannot. */
export function parseManifest(bytes: Uint8Array): Manifest | string {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return 'manifest.json is not valid JSON';
  }
  const m = value as Partial<Manifest> | null;
  if (typeof m !== 'object' || m === null) return 'manifest.json is not a JSON object';
  if (m.version !== MANIFEST_VERSION)
    return `manifest.json has version ${JSON.stringify(m.version)}, this guard reads ${MANIFEST_VERSION}`;
  if (
    !Array.isArray(m.files) ||
    !Array.isArray(m.steps) ||
    typeof m.chains !== 'object' ||
    m.chains === null
  ) {
    return 'manifest.json lacks files, steps or chains';
  }
  if (typeof m.identity !== 'object' || m.identity === null) return 'manifest.json lacks the job identity';
  if (
    m.deployment !== undefined &&
    (typeof m.deployment?.approval !== 'string' ||
      typeof m.deployment.environment !== 'string' ||
      !Array.isArray(m.deployment.approvals))
  ) {
    return 'manifest.json has a deployment entry without approval, environment and approvals';
  }
  for (const f of m.files) {
    if (typeof f?.path !== 'string' || typeof f.sha256 !== 'string' || typeof f.size !== 'number') {
      return 'manifest.json has a file entry without path, sha256 and size';
    }
  }
  return m as Manifest;
}

/** The artifact name for a job's bundle: guard-audit-<run_id>-<attempt>-<job>. */
export function bundleName(identity: Pick<JobClaims, 'run_id' | 'run_attempt'>, job: string): string {
  const safeJob = job.replace(/[^A-Za-z0-9._-]/g, '_');
  return `guard-audit-${identity.run_id}-${identity.run_attempt}-${safeJob}`;
}

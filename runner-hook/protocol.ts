// What the runner hooks and the server's runner routes say to each other: plain JSON shapes, shared by both
// sides so neither can drift. No I/O here.

/** The job as the runner describes it: default variables plus what only the event payload knows. */
export interface JobReport {
  repository: string;
  repositoryId: string;
  repositoryOwner: string;
  repositoryOwnerId: string;
  runId: string;
  runAttempt: string;
  runNumber?: string;
  /** GITHUB_JOB: the job's id in the workflow (the same for every leg of a matrix). */
  job: string;
  ref: string;
  refType: string;
  refProtected?: string;
  sha: string;
  workflow: string;
  /** `owner/repo/.github/workflows/file.yml@ref`, what policies match workflows on. */
  workflowRef: string;
  workflowSha?: string;
  eventName: string;
  actor: string;
  actorId?: string;
  triggeringActor: string;
  headRef?: string;
  baseRef?: string;
  /** RUNNER_NAME as the runner reports it (informational; the credential names the runner). */
  runnerName?: string;
  /** pull_request* events: true when the head repository is not the base repository; absent = unknown. */
  pullRequestFromFork?: boolean;
  pullRequestNumber?: number;
  /** Deployment events only: the payload names the environment. Other jobs' environment is not visible to hooks. */
  environment?: string;
}

export type RunnerJobDecision = 'allow' | 'require-approval';

export interface RunnerApprovalView {
  id: string;
  status: 'pending' | 'approved' | 'denied' | 'expired';
  required: number;
  reviewers: string[];
  expiresAt: string;
  reason: string | null;
  votes: { reviewer: string; decision: 'approve' | 'deny'; channel: string; comment: string | null }[];
}

export interface JobStartedResponse {
  job: { id: string; runner: string };
  decision: RunnerJobDecision;
  reason: string;
  /** Name of the effective policy that governs the job. */
  policy: string;
  /** The job fails at the end unless at least one of its steps ran through guard. */
  requireGuard: boolean;
  approval: RunnerApprovalView | null;
}

export interface LocalRecordingFile {
  /** Relative to the session's record folder: `events.jsonl` or `steps/<n>.cast`. */
  path: string;
  size: number;
  sha256: string;
}

export interface LocalSession {
  id: string;
  files: LocalRecordingFile[];
}

export interface JobCompletedRequest {
  report: JobReport;
  /** The guard sessions the action opened on this runner for this job, found in RUNNER_TEMP. */
  sessions: LocalSession[];
}

export interface RequireGuardVerdict {
  required: boolean;
  satisfied: boolean;
  guardedSteps: number;
  message: string;
}

export interface JobCompletedResponse {
  job: { id: string; runner: string };
  /** Sessions the action's post step had not closed; the server closed them now. */
  closedSessions: string[];
  requireGuard: RequireGuardVerdict;
  /** Files the server does not hold yet; the hook ships them with `RecordingChunk`s. */
  wanted: { session: string; path: string }[];
}

export interface RecordingChunk {
  job: string;
  session: string;
  path: string;
  size: number;
  sha256: string;
  offset: number;
  /** base64 of the bytes at `offset`. */
  data: string;
}

export interface RecordingChunkResponse {
  /** Bytes the server holds; a chunk at another offset is ignored and the hook resumes from here. */
  received: number;
  complete: boolean;
}

/** One chunk stays well under the server's 1 MiB request limit once base64-encoded. */
export const CHUNK_BYTES = 512 * 1024;
/** Largest recording file the server accepts from a hook. */
export const MAX_RECORDING_BYTES = 256 * 1024 * 1024;
/** `events.jsonl` or `steps/<n>.cast`: nothing else of the record folder is evidence. */
export const RECORDING_PATH = /^(?:events\.jsonl|steps\/[0-9]{1,6}\.cast)$/;
/** Runner credentials: a readable prefix so they are recognisable in a leak report. */
export const RUNNER_CREDENTIAL_PREFIX = 'grn_';

// Validates what a runner hook sends before anything is stored or judged. Pure. The runner is trusted to
// describe its job truthfully (the platform team installed it), not to send well-formed data.
import { GuardError } from '../../lib/errors.js';
import {
  MAX_RECORDING_BYTES,
  RECORDING_PATH,
  type JobReport,
  type LocalSession,
  type RecordingChunk,
} from '../../runner-hook/protocol.js';

const DIGITS = /^[0-9]{1,20}$/;
const SESSION_ID = /^[0-9a-f]{16}$/;
const SHA256 = /^[0-9a-f]{64}$/;
const JOB_ID = /^[A-Za-z0-9_.-]{1,100}$/;

const TEXT_FIELDS = [
  'repository',
  'repositoryOwner',
  'ref',
  'refType',
  'sha',
  'workflow',
  'workflowRef',
  'eventName',
  'actor',
  'triggeringActor',
] as const;
const ID_FIELDS = ['repositoryId', 'repositoryOwnerId', 'runId', 'runAttempt'] as const;
const OPTIONAL_TEXT = [
  'runNumber',
  'refProtected',
  'workflowSha',
  'actorId',
  'headRef',
  'baseRef',
  'runnerName',
  'environment',
] as const;

export function parseJobReport(input: unknown): JobReport {
  const raw = record(input, 'report');
  const out: Record<string, unknown> = {};
  for (const field of TEXT_FIELDS) out[field] = text(raw[field], field, true);
  for (const field of ID_FIELDS) {
    const value = text(raw[field], field, true);
    if (!DIGITS.test(value ?? '')) throw bad(`${field} must be a number`);
    out[field] = value;
  }
  const job = text(raw.job, 'job', true) ?? '';
  if (!JOB_ID.test(job)) throw bad('job (GITHUB_JOB) is malformed');
  out.job = job;
  if (!/^[^/\s]+\/[^/\s]+$/.test(String(out.repository))) throw bad('repository must be owner/name');
  for (const field of OPTIONAL_TEXT) {
    const value = text(raw[field], field, false);
    if (value !== undefined) out[field] = value;
  }
  if (raw.pullRequestFromFork !== undefined) {
    if (typeof raw.pullRequestFromFork !== 'boolean') throw bad('pullRequestFromFork must be true or false');
    out.pullRequestFromFork = raw.pullRequestFromFork;
  }
  if (raw.pullRequestNumber !== undefined) {
    if (!Number.isInteger(raw.pullRequestNumber)) throw bad('pullRequestNumber must be an integer');
    out.pullRequestNumber = raw.pullRequestNumber;
  }
  return out as unknown as JobReport;
}

export function parseLocalSessions(input: unknown): LocalSession[] {
  if (input === undefined) return [];
  if (!Array.isArray(input) || input.length > 50) throw bad('sessions must be a list (at most 50)');
  return input.map((item) => {
    const raw = record(item, 'session');
    if (typeof raw.id !== 'string' || !SESSION_ID.test(raw.id)) throw bad('a session id is malformed');
    const files = raw.files === undefined ? [] : raw.files;
    if (!Array.isArray(files) || files.length > 10_000) throw bad('session files must be a list');
    return {
      id: raw.id,
      files: files.map((file) => {
        const f = record(file, 'file');
        return { path: recordingPath(f.path), size: recordingSize(f.size), sha256: sha256(f.sha256) };
      }),
    };
  });
}

export function parseRecordingChunk(input: unknown): RecordingChunk {
  const raw = record(input, 'chunk');
  if (typeof raw.job !== 'string' || !/^[0-9a-f]{16}$/.test(raw.job)) throw bad('job is malformed');
  if (typeof raw.session !== 'string' || !SESSION_ID.test(raw.session)) throw bad('session is malformed');
  const offset = raw.offset;
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0)
    throw bad('offset must be a non-negative integer');
  if (typeof raw.data !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(raw.data))
    throw bad('data must be base64');
  return {
    job: raw.job,
    session: raw.session,
    path: recordingPath(raw.path),
    size: recordingSize(raw.size),
    sha256: sha256(raw.sha256),
    offset,
    data: raw.data,
  };
}

function recordingPath(value: unknown): string {
  if (typeof value !== 'string' || !RECORDING_PATH.test(value))
    throw bad('a recording path must be events.jsonl or steps/<n>.cast');
  return value;
}

function recordingSize(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > MAX_RECORDING_BYTES)
    throw bad(`a recording size must be 0-${MAX_RECORDING_BYTES} bytes`);
  return value;
}

function sha256(value: unknown): string {
  if (typeof value !== 'string' || !SHA256.test(value)) throw bad('sha256 must be 64 hex characters');
  return value;
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw bad(`${what} must be an object`);
  return value as Record<string, unknown>;
}

function text(value: unknown, field: string, required: boolean): string | undefined {
  if (value === undefined || value === '') {
    if (required) throw bad(`${field} is missing`);
    return undefined;
  }
  if (typeof value !== 'string' || value.length > 500 || /[\0\r\n]/.test(value))
    throw bad(`${field} must be a single line of at most 500 characters`);
  return value;
}

function bad(what: string): GuardError {
  return new GuardError('BAD_INPUT', `guard: the runner hook sent a malformed job report: ${what}`);
}

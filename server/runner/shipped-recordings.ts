// Recordings a job-completed hook ships when the action's post step could not upload them (a cancelled or
// killed job). Received in chunks, resumable, checked against the sha256 the hook announced, and kept in
// the database so compliance can pull them like any other evidence.
import { sha256Hex } from '../../lib/digest.js';
import { GuardError } from '../../lib/errors.js';
import type { RecordingChunkResponse } from '../../runner-hook/protocol.js';
import type { ServerContext } from '../context.js';
import { recordEvent } from '../events.js';
import type { Queryable } from '../storage/database.js';
import { parseRecordingChunk } from './report-input.js';
import type { RunnerIdentity } from './runner-credentials.js';
import { loadRunnerJob } from './runner-jobs.js';

interface RecordingRow {
  size: string | number;
  sha256: string;
  received: string | number;
  complete: boolean;
}

export async function acceptRecordingChunk(
  ctx: ServerContext,
  runner: RunnerIdentity,
  input: unknown,
): Promise<RecordingChunkResponse> {
  const chunk = parseRecordingChunk(input);
  const job = await loadRunnerJob(ctx.db, runner, chunk.job);
  const owned = await ctx.db.query(
    `select 1 from sessions where id = $1 and repository_id = $2 and run_id = $3 and run_attempt = $4 and job = $5 and created_at >= $6`,
    [chunk.session, job.repository_id, job.run_id, job.run_attempt, job.job, job.created_at],
  );
  // rows, not rowCount: PGlite reports no affected rows for a select.
  if (owned.rows.length === 0)
    throw new GuardError('NOT_FOUND', `guard: session ${chunk.session} is not a session of job ${job.id}`);

  let row = await loadRow(ctx.db, chunk.session, chunk.path);
  if (row && (row.sha256 !== chunk.sha256 || Number(row.size) !== chunk.size)) {
    if (row.complete)
      throw new GuardError(
        'APPROVAL_DRIFT',
        `guard: ${chunk.path} of session ${chunk.session} was already shipped with sha256 ${row.sha256}; shipped evidence is never replaced`,
      );
    await ctx.db.query('delete from runner_recordings where session_id = $1 and path = $2 and not complete', [
      chunk.session,
      chunk.path,
    ]);
    row = undefined;
  }
  if (!row) {
    await ctx.db.query(
      `insert into runner_recordings (session_id, path, runner_job_id, size, sha256) values ($1, $2, $3, $4, $5)
       on conflict do nothing`,
      [chunk.session, chunk.path, job.id, chunk.size, chunk.sha256],
    );
    row = await loadRow(ctx.db, chunk.session, chunk.path);
    if (!row) throw new GuardError('INTERNAL', 'guard: the recording row vanished while it was written');
  }
  if (row.complete) return { received: Number(row.size), complete: true };
  const received = Number(row.received);
  if (chunk.offset !== received) return { received, complete: false };

  const bytes = Buffer.from(chunk.data, 'base64');
  if (received + bytes.length > chunk.size)
    throw new GuardError(
      'BAD_INPUT',
      `guard: ${chunk.path} is longer than the ${chunk.size} bytes announced`,
    );
  if (bytes.length === 0 && received < chunk.size)
    throw new GuardError('BAD_INPUT', `guard: an empty chunk for ${chunk.path} before its end`);
  const appended = await ctx.db.query(
    `update runner_recordings set data = data || $3, received = received + $4
      where session_id = $1 and path = $2 and received = $5 and not complete`,
    [chunk.session, chunk.path, bytes, bytes.length, received],
  );
  if (appended.rowCount === 0) {
    const now = await loadRow(ctx.db, chunk.session, chunk.path);
    return { received: Number(now?.received ?? 0), complete: now?.complete ?? false };
  }
  if (received + bytes.length < chunk.size) return { received: received + bytes.length, complete: false };
  return finish(ctx, runner, job.id, chunk.session, chunk.path, chunk.sha256, chunk.size);
}

async function finish(
  ctx: ServerContext,
  runner: RunnerIdentity,
  jobId: string,
  session: string,
  path: string,
  sha256: string,
  size: number,
): Promise<RecordingChunkResponse> {
  const { rows } = await ctx.db.query<{ data: Uint8Array }>(
    'select data from runner_recordings where session_id = $1 and path = $2',
    [session, path],
  );
  const actual = sha256Hex(rows[0]?.data ?? new Uint8Array());
  if (actual !== sha256) {
    await ctx.db.query('delete from runner_recordings where session_id = $1 and path = $2 and not complete', [
      session,
      path,
    ]);
    throw new GuardError(
      'BAD_INPUT',
      `guard: ${path} of session ${session} arrived with sha256 ${actual}, not the ${sha256} announced; it was discarded, ship it again`,
    );
  }
  const done = await ctx.db.query(
    `update runner_recordings set complete = true, completed_at = now() where session_id = $1 and path = $2 and not complete`,
    [session, path],
  );
  if (done.rowCount > 0)
    await recordEvent(ctx.db, session, 'recording.shipped', {
      path,
      sha256,
      size,
      runner: runner.name,
      job_id: jobId,
      by: 'runner-hook',
    });
  return { received: size, complete: true };
}

export interface ShippedRecording {
  path: string;
  size: number;
  sha256: string;
  shippedAt: string;
}

/** The complete recordings shipped for a session (compliance pulls them next to the artifact). */
export async function listShippedRecordings(db: Queryable, sessionId: string): Promise<ShippedRecording[]> {
  const { rows } = await db.query<{
    path: string;
    size: string | number;
    sha256: string;
    completed_at: Date;
  }>(
    'select path, size, sha256, completed_at from runner_recordings where session_id = $1 and complete order by path',
    [sessionId],
  );
  return rows.map((r) => ({
    path: r.path,
    size: Number(r.size),
    sha256: r.sha256,
    shippedAt: r.completed_at.toISOString(),
  }));
}

export async function readShippedRecording(db: Queryable, sessionId: string, path: string): Promise<Buffer> {
  const { rows } = await db.query<{ data: Uint8Array }>(
    'select data from runner_recordings where session_id = $1 and path = $2 and complete',
    [sessionId, path],
  );
  const row = rows[0];
  if (!row) throw new GuardError('NOT_FOUND', `guard: no shipped recording ${path} for session ${sessionId}`);
  return Buffer.from(row.data);
}

async function loadRow(db: Queryable, session: string, path: string): Promise<RecordingRow | undefined> {
  const { rows } = await db.query<RecordingRow>(
    'select size, sha256, received, complete from runner_recordings where session_id = $1 and path = $2',
    [session, path],
  );
  return rows[0];
}

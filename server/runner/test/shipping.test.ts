// Recordings shipped by a job-completed hook, over HTTP with the runner's credential: resumable chunks,
// digests checked, and only into sessions of the job this runner ran.
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GuardServerClient } from '../../../client/server-api.js';
import { jobReportFromEnv } from '../../../runner-hook/job-report.js';
import { CHUNK_BYTES, type JobReport } from '../../../runner-hook/protocol.js';
import { RunnerClient } from '../../../runner-hook/runner-client.js';
import { startStack, type Stack } from '../../../test/support/stack.js';
import { readShippedRecording } from '../shipped-recordings.js';
import { addRunner } from '../runner-credentials.js';

let stack: Stack;
let runner: RunnerClient;
let otherRunner: RunnerClient;

beforeAll(async () => {
  stack = await startStack();
  const signal = new AbortController().signal;
  runner = new RunnerClient(stack.server.url, (await addRunner(stack.server.ctx.db, 'r1', [])).credential, {
    signal,
  });
  otherRunner = new RunnerClient(
    stack.server.url,
    (await addRunner(stack.server.ctx.db, 'r2', [])).credential,
    {
      signal,
    },
  );
});
afterAll(async () => {
  await stack?.close();
});

/** A job the runner reported as started, and the guard session its action opened with a real OIDC token. */
async function startedJobWithSession(): Promise<{ report: JobReport; jobId: string; sessionId: string }> {
  const runId = String(40_000_000_000 + Math.floor(Math.random() * 1e9));
  const registration = await stack.github.registerJob({ claims: { run_id: runId } });
  const c = registration.claims;
  const report = jobReportFromEnv(
    {
      GITHUB_REPOSITORY: c.repository,
      GITHUB_REPOSITORY_ID: c.repository_id,
      GITHUB_REPOSITORY_OWNER: c.repository_owner,
      GITHUB_REPOSITORY_OWNER_ID: c.repository_owner_id,
      GITHUB_RUN_ID: c.run_id,
      GITHUB_RUN_ATTEMPT: c.run_attempt,
      GITHUB_JOB: 'deploy',
      GITHUB_REF: c.ref,
      GITHUB_SHA: c.sha,
      GITHUB_WORKFLOW: c.workflow,
      GITHUB_WORKFLOW_REF: c.workflow_ref ?? '',
      GITHUB_EVENT_NAME: c.event_name,
      GITHUB_ACTOR: c.actor,
    },
    {},
  );
  const started = await runner.jobStarted(report);
  const response = await fetch(`${registration.idTokenRequestUrl}&audience=guard`, {
    headers: { authorization: `Bearer ${registration.idTokenRequestToken}` },
  });
  const { value } = (await response.json()) as { value: string };
  const opened = await new GuardServerClient(stack.server.url, undefined, `${runId}/1/deploy`).openSession(
    value,
    'deploy',
  );
  return { report, jobId: started.job.id, sessionId: opened.session.id };
}

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe('shipping recordings', () => {
  it('takes a file larger than one request in chunks, resumes at what it holds, and keeps the exact bytes', async () => {
    const { report, jobId, sessionId } = await startedJobWithSession();
    const data = randomBytes(CHUNK_BYTES * 2 + 1000);
    const file = { path: 'steps/1.cast', size: data.length, sha256: sha(data) };
    const done = await runner.jobCompleted({ report, sessions: [{ id: sessionId, files: [file] }] });
    expect(done.closedSessions).toEqual([sessionId]);
    expect(done.wanted).toEqual([{ session: sessionId, path: 'steps/1.cast' }]);

    const chunk = (offset: number) => ({
      job: jobId,
      session: sessionId,
      ...file,
      offset,
      data: data.subarray(offset, offset + CHUNK_BYTES).toString('base64'),
    });
    expect(await runner.shipChunk(chunk(0))).toEqual({ received: CHUNK_BYTES, complete: false });
    // A retried or out-of-order chunk changes nothing; the answer says where to resume.
    expect(await runner.shipChunk(chunk(0))).toEqual({ received: CHUNK_BYTES, complete: false });
    expect(await runner.shipChunk(chunk(CHUNK_BYTES * 2))).toEqual({
      received: CHUNK_BYTES,
      complete: false,
    });
    expect(await runner.shipChunk(chunk(CHUNK_BYTES))).toEqual({
      received: CHUNK_BYTES * 2,
      complete: false,
    });
    expect(await runner.shipChunk(chunk(CHUNK_BYTES * 2))).toEqual({ received: data.length, complete: true });
    expect((await readShippedRecording(stack.server.ctx.db, sessionId, 'steps/1.cast')).equals(data)).toBe(
      true,
    );

    const again = await runner.jobCompleted({ report, sessions: [{ id: sessionId, files: [file] }] });
    expect(again).toMatchObject({ closedSessions: [], wanted: [] });
  });

  it('discards a file whose bytes do not match the digest announced', async () => {
    const { report, jobId, sessionId } = await startedJobWithSession();
    const data = Buffer.from('{"type":"step.start"}\n');
    const announced = {
      path: 'events.jsonl',
      size: data.length,
      sha256: sha(Buffer.from('{"type":"other"}\n')),
    };
    await runner.jobCompleted({ report, sessions: [{ id: sessionId, files: [announced] }] });
    const tampered = {
      job: jobId,
      session: sessionId,
      ...announced,
      offset: 0,
      data: data.toString('base64'),
    };
    await expect(runner.shipChunk(tampered)).rejects.toThrow(/not the .* announced; it was discarded/);
    await expect(readShippedRecording(stack.server.ctx.db, sessionId, 'events.jsonl')).rejects.toThrow(
      /no shipped recording/,
    );
  });

  it("refuses chunks from another runner, or for a session that is not the job's", async () => {
    const first = await startedJobWithSession();
    const second = await startedJobWithSession();
    const data = Buffer.from('x');
    const chunk = {
      path: 'steps/1.cast',
      size: 1,
      sha256: sha(data),
      offset: 0,
      data: data.toString('base64'),
    };
    await expect(
      otherRunner.shipChunk({ job: first.jobId, session: first.sessionId, ...chunk }),
    ).rejects.toThrow(/was not reported by this runner/);
    await expect(runner.shipChunk({ job: first.jobId, session: second.sessionId, ...chunk })).rejects.toThrow(
      /is not a session of job/,
    );
  });
});

// The job-completed hook: report the end of the job, let the server close any guard session the action's
// post step left open, ship the recordings the server does not hold yet (a cancelled job's evidence), and
// fail the job when policy required guard and no step used it. Safe to run twice.
import { join } from 'node:path';
import { describeError, GuardError } from '../lib/errors.js';
import { hookDeadline, hookOutput } from './hook-output.js';
import { readHookSettings } from './hook-settings.js';
import { jobReportFromEnv } from './job-report.js';
import { findLocalSessions, readSlice, type FoundSession } from './local-recordings.js';
import { CHUNK_BYTES } from './protocol.js';
import { RunnerClient } from './runner-client.js';
import { readEventPayload } from './started.js';

export async function runJobCompleted(
  env: NodeJS.ProcessEnv,
  stdout: NodeJS.WritableStream = process.stdout,
): Promise<number> {
  const out = hookOutput(stdout);
  let clear = () => {};
  try {
    const settings = await readHookSettings(env, 'completed');
    const deadline = hookDeadline(
      settings.timeoutMs,
      () =>
        new GuardError(
          'SERVER_UNREACHABLE',
          `guard runner hook: job-completed did not finish within ${settings.timeoutMs / 1000}s (GUARD_RUNNER_HOOK_TIMEOUT); recordings may not have reached the server`,
        ),
    );
    clear = deadline.clear;
    const report = jobReportFromEnv(env, await readEventPayload(env.GITHUB_EVENT_PATH));
    const sessions = await findLocalSessions(env.RUNNER_TEMP);
    const client = new RunnerClient(settings.server, settings.credential, { signal: deadline.signal });
    const done = await client.jobCompleted({
      report,
      sessions: sessions.map(({ id, files }) => ({ id, files })),
    });
    for (const id of done.closedSessions)
      out.info(`guard: session ${id} was still open (the action's post step did not finish); closed it`);
    let shipped = 0;
    for (const want of done.wanted) {
      const session = sessions.find((s) => s.id === want.session);
      if (!session) continue;
      await shipFile(client, done.job.id, session, want.path);
      shipped++;
    }
    if (shipped > 0) out.info(`guard: shipped ${shipped} recording file(s) to the server`);
    if (!done.requireGuard.satisfied) {
      out.error(`guard: ${done.requireGuard.message}`);
      return 1;
    }
    if (done.requireGuard.required) out.info(`guard: ${done.requireGuard.message}`);
    out.info(`guard: job ${done.job.id} reported complete`);
    return 0;
  } catch (error) {
    out.error(describeError(error));
    return 1;
  } finally {
    clear();
  }
}

async function shipFile(
  client: RunnerClient,
  job: string,
  session: FoundSession,
  path: string,
): Promise<void> {
  const file = session.files.find((f) => f.path === path);
  if (!file) return;
  const location = join(session.recordDir, path);
  let offset = 0;
  for (let rounds = 0; rounds < 2 + Math.ceil(file.size / CHUNK_BYTES) * 2; rounds++) {
    const bytes = await readSlice(location, offset, Math.min(CHUNK_BYTES, file.size - offset));
    const answer = await client.shipChunk({
      job,
      session: session.id,
      path,
      size: file.size,
      sha256: file.sha256,
      offset,
      data: bytes.toString('base64'),
    });
    if (answer.complete) return;
    offset = answer.received;
  }
  throw new GuardError(
    'SERVER_ERROR',
    `guard runner hook: the server did not accept ${path} of session ${session.id}`,
  );
}

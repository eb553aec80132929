// The runner hooks' routes. Runner routes take the runner's own credential (never a workflow's); the
// shipped-recording routes are for compliance and take a reviewer credential.
import { GuardError } from '../../lib/errors.js';
import type { ServerContext } from '../context.js';
import type { ApiRequest, Router } from '../http/router.js';
import { authenticateReviewer } from '../reviewers.js';
import { reportJobCompleted } from './job-completion.js';
import { authenticateRunner } from './runner-credentials.js';
import { reportJobStarted, waitRunnerApproval } from './runner-jobs.js';
import { acceptRecordingChunk, listShippedRecordings, readShippedRecording } from './shipped-recordings.js';

export function addRunnerRoutes(ctx: ServerContext, router: Router): void {
  const runner = (request: ApiRequest) => authenticateRunner(ctx.db, request.headers.authorization);

  router.add('GET', '/v1/runner/whoami', async (request) => {
    const { name, labels } = await runner(request);
    return { status: 200, body: { name, labels } };
  });

  router.add('POST', '/v1/runner/jobs/started', async (request) => ({
    status: 200,
    body: await reportJobStarted(ctx, await runner(request), request.body),
  }));

  // Long-poll, like the session's: held until the job's approval is decided or `timeout` seconds pass.
  router.add('GET', '/v1/runner/approvals/:id/wait', async (request, params) => {
    const who = await runner(request);
    const requested = Number(request.query.get('timeout') ?? ctx.config.maxWaitSec);
    const timeoutSec =
      Number.isFinite(requested) && requested > 0
        ? Math.min(requested, ctx.config.maxWaitSec)
        : ctx.config.maxWaitSec;
    return {
      status: 200,
      body: await waitRunnerApproval(ctx, who, params.id ?? '', timeoutSec * 1000, request.signal),
    };
  });

  router.add('POST', '/v1/runner/jobs/completed', async (request) => ({
    status: 200,
    body: await reportJobCompleted(ctx, await runner(request), request.body),
  }));

  router.add('POST', '/v1/runner/recordings', async (request) => ({
    status: 200,
    body: await acceptRecordingChunk(ctx, await runner(request), request.body),
  }));

  router.add('GET', '/v1/runner/recordings', async (request) => {
    await authenticateReviewer(ctx.db, request.headers.authorization);
    const session = sessionParam(request);
    return { status: 200, body: { session, recordings: await listShippedRecordings(ctx.db, session) } };
  });

  router.add('GET', '/v1/runner/recordings/content', async (request) => {
    await authenticateReviewer(ctx.db, request.headers.authorization);
    const session = sessionParam(request);
    const path = request.query.get('path') ?? '';
    const data = await readShippedRecording(ctx.db, session, path);
    return { status: 200, body: { session, path, data: data.toString('base64') } };
  });
}

function sessionParam(request: ApiRequest): string {
  const session = request.query.get('session') ?? '';
  if (!/^[0-9a-f]{16}$/.test(session))
    throw new GuardError('BAD_INPUT', 'guard: ?session= must be a session id');
  return session;
}

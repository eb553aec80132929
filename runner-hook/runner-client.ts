// The runner hooks' side of the server API, authenticated with the runner's own credential. Errors name
// the server, never the credential. Calls that are idempotent on the server are retried briefly when the
// server cannot be reached; every call stops when the hook's own time limit aborts `signal`.
import { networkReason, sleep } from '../lib/timing.js';
import { GuardError, isErrorCode } from '../lib/errors.js';
import type {
  JobCompletedRequest,
  JobCompletedResponse,
  JobReport,
  JobStartedResponse,
  RecordingChunk,
  RecordingChunkResponse,
  RunnerApprovalView,
} from './protocol.js';

export interface RunnerClientOptions {
  signal: AbortSignal;
  /** Attempts for a call the server cannot be reached for (default 3), with 0.5 s, 1 s... between. */
  attempts?: number;
}

export class RunnerClient {
  readonly #credential: string;

  constructor(
    readonly baseUrl: string,
    credential: string,
    private readonly options: RunnerClientOptions,
  ) {
    this.#credential = credential;
  }

  whoami(): Promise<{ name: string; labels: string[] }> {
    return this.#call('GET', '/v1/runner/whoami');
  }

  jobStarted(report: JobReport): Promise<JobStartedResponse> {
    return this.#call('POST', '/v1/runner/jobs/started', { report });
  }

  waitForApproval(id: string, timeoutSec: number): Promise<RunnerApprovalView> {
    return this.#call(
      'GET',
      `/v1/runner/approvals/${encodeURIComponent(id)}/wait?timeout=${timeoutSec}`,
      undefined,
      (timeoutSec + 30) * 1000,
    );
  }

  jobCompleted(request: JobCompletedRequest): Promise<JobCompletedResponse> {
    return this.#call('POST', '/v1/runner/jobs/completed', request);
  }

  shipChunk(chunk: RecordingChunk): Promise<RecordingChunkResponse> {
    return this.#call('POST', '/v1/runner/recordings', chunk);
  }

  async #call<T>(method: string, path: string, body?: unknown, timeoutMs = 30_000): Promise<T> {
    const attempts = this.options.attempts ?? 3;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#once<T>(method, path, body, timeoutMs);
      } catch (error) {
        const retry =
          error instanceof GuardError && error.code === 'SERVER_UNREACHABLE' && attempt < attempts;
        if (!retry || this.options.signal.aborted) throw error;
        await sleep(500 * 2 ** (attempt - 1), this.options.signal);
      }
    }
  }

  async #once<T>(method: string, path: string, body: unknown, timeoutMs: number): Promise<T> {
    const url = new URL(path, this.baseUrl.endsWith('/') ? this.baseUrl : `${this.baseUrl}/`);
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          accept: 'application/json',
          authorization: `Bearer ${this.#credential}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), this.options.signal]),
      });
    } catch (error) {
      if (this.options.signal.aborted) throw timeLimit(this.options.signal, error);
      throw new GuardError(
        'SERVER_UNREACHABLE',
        `guard runner hook: cannot reach the guard server at ${this.baseUrl} (${networkReason(error)}); the job is refused because guard fails closed. Check that the server is up and reachable from this runner`,
        { cause: error },
      );
    }
    const text = await response.text().catch((error: unknown) => {
      throw this.options.signal.aborted ? timeLimit(this.options.signal, error) : error;
    });
    let payload: unknown;
    try {
      payload = text ? JSON.parse(text) : {};
    } catch (error) {
      throw new GuardError(
        'SERVER_ERROR',
        `guard runner hook: ${this.baseUrl} answered ${response.status} with something that is not JSON; is GUARD_RUNNER_SERVER a guard server?`,
        { cause: error },
      );
    }
    if (!response.ok) {
      const error = (payload as { error?: { code?: unknown; message?: unknown } }).error;
      const code = isErrorCode(error?.code) ? error.code : 'SERVER_ERROR';
      throw new GuardError(
        code,
        typeof error?.message === 'string'
          ? error.message
          : `guard runner hook: the server answered ${response.status} to ${method} ${url.pathname}`,
      );
    }
    return payload as T;
  }
}

/** The error a call ends with when the hook's own time limit passes. */
export function timeLimit(signal: AbortSignal, cause?: unknown): GuardError {
  const why = signal.reason instanceof GuardError ? signal.reason : undefined;
  return (
    why ??
    new GuardError(
      'SERVER_UNREACHABLE',
      'guard runner hook: the hook reached its time limit (GUARD_RUNNER_HOOK_TIMEOUT)',
      {
        cause,
      },
    )
  );
}

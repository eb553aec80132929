// The job's side of the approval server's API, shared by the action, the shell proxy and the runner hook.
// Every failure becomes a GuardError that says what to do; nothing here retries a call that changes state.
import type { DsseEnvelope } from '../audit/dsse.js';
import type { DeploymentRecord } from '../audit/manifest.js';
// The wire shapes are the server's own types (type-only: nothing of the server is bundled into the action).
import type { ApprovalState, PendingApproval } from '../server/approvals.js';
export type { ApprovalState, ApprovalVote, PendingApproval } from '../server/approvals.js';
import type { JobClaims } from '../lib/claims.js';
import type { UpstreamConfig } from '../pg-proxy/upstream.js';
import type { SshTarget } from '../ssh/ssh-target.js';
import { GuardError, isErrorCode } from '../lib/errors.js';
import { networkReason } from '../lib/timing.js';

export interface StepRegistration {
  step: { id: string; seq: number; name: string };
  decision: { action: 'allow' | 'require-approval' | 'block'; rule: string | null; reason: string };
  approval: ApprovalState | null;
}

export interface SessionPolicy {
  name: string;
  version: string;
  sources: string[];
  approvals: { reviewers: string[]; min: number; expireAfterMs: number; allowSelfApproval: boolean };
  masking: { packs: string[]; columns: string[]; rules: { name: string; pattern: string; flags?: string }[] };
  recording: 'strict' | 'best_effort';
  explain?: string[];
}

export interface ClosedSession {
  closed: boolean;
  manifestSha256?: string;
  /** DSSE envelope over the in-toto statement for manifest.json; null when the server refused to vouch. */
  envelope?: DsseEnvelope | null;
  ledger?: { seq: number; hash: string };
  /** Where the manifest disagrees with the server's record of the session. */
  problems?: string[];
}

export interface OpenedSession {
  session: { id: string; credential: string; expiresAt: string };
  policy: SessionPolicy;
  identity: JobClaims;
  /** The deployment gate approval that let this job start (recorded in its evidence); null when none. */
  deployment?: DeploymentRecord | null;
}

export class GuardServerClient {
  /** `run` is `run_id/run_attempt/job` of the job making the calls; the server refuses a credential from another run. */
  constructor(
    readonly baseUrl: string,
    private readonly credential?: string,
    private readonly run: string | undefined = runOf(process.env),
  ) {}

  openSession(token: string, job: string): Promise<OpenedSession> {
    return this.#call('POST', '/v1/sessions', { token, job });
  }

  /** Closes the session; with the manifest, the server checks it, signs it and appends it to its ledger. */
  closeSession(manifest?: string): Promise<ClosedSession> {
    return this.#call('POST', '/v1/session/close', manifest === undefined ? {} : { manifest });
  }

  registerStep(input: {
    name: string;
    kind: 'shell' | 'db' | 'ssh';
    target?: string;
    script: string;
    scriptSha256: string;
  }): Promise<StepRegistration> {
    return this.#call('POST', '/v1/steps', input);
  }

  /** A statement a db step's proxy holds; wait on the returned approval like a step's. */
  requestSqlApproval(
    stepId: string,
    input: { sql: string; digest: string; reason: string },
  ): Promise<ApprovalState> {
    return this.#call('POST', `/v1/steps/${encodeURIComponent(stepId)}/sql-approvals`, input);
  }

  /** Releases the step; for a db step the answer carries the registered connection (never printed). */
  startStep(
    stepId: string,
    scriptSha256: string,
  ): Promise<{ released: boolean; database?: UpstreamConfig; ssh?: SshTarget }> {
    return this.#call('POST', `/v1/steps/${encodeURIComponent(stepId)}/start`, { scriptSha256 });
  }

  finishStep(
    stepId: string,
    input: { exitCode: number; castSha256?: string; maskCounts: Record<string, number> },
  ): Promise<unknown> {
    return this.#call('POST', `/v1/steps/${encodeURIComponent(stepId)}/finish`, input);
  }

  /** One long-poll: returns when the approval is decided or after about `timeoutSec`. */
  waitForApproval(id: string, timeoutSec: number, signal?: AbortSignal): Promise<ApprovalState> {
    return this.#call(
      'GET',
      `/v1/approvals/${encodeURIComponent(id)}/wait?timeout=${timeoutSec}`,
      undefined,
      { timeoutMs: (timeoutSec + 30) * 1000, signal },
    );
  }

  /** A reviewer's queue of approvals they may decide. */
  listPending(): Promise<{ approvals: PendingApproval[] }> {
    return this.#call('GET', '/v1/approvals');
  }

  decide(id: string, decision: 'approve' | 'deny', comment?: string): Promise<ApprovalState> {
    return this.#call('POST', `/v1/approvals/${encodeURIComponent(id)}/decision`, {
      decision,
      ...(comment ? { comment } : {}),
    });
  }

  async #call<T>(
    method: string,
    path: string,
    body?: unknown,
    options: { timeoutMs?: number; signal?: AbortSignal | undefined } = {},
  ): Promise<T> {
    const url = new URL(path, this.baseUrl.endsWith('/') ? this.baseUrl : `${this.baseUrl}/`);
    const timeout = AbortSignal.timeout(options.timeoutMs ?? 30_000);
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(this.credential ? { authorization: `Bearer ${this.credential}` } : {}),
          ...(this.run ? { 'x-guard-run': this.run } : {}),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: options.signal ? AbortSignal.any([timeout, options.signal]) : timeout,
      });
    } catch (error) {
      throw new GuardError(
        'SERVER_UNREACHABLE',
        `guard: cannot reach the guard server at ${this.baseUrl} (${networkReason(error)}); check the action's 'server' input and that the server is up`,
        { cause: error },
      );
    }
    const text = await response.text();
    let payload: unknown;
    try {
      payload = text ? JSON.parse(text) : {};
    } catch (error) {
      throw new GuardError(
        'SERVER_ERROR',
        `guard: the server at ${this.baseUrl} answered ${response.status} with something that is not JSON; is 'server' pointing at a guard server?`,
        { cause: error },
      );
    }
    if (!response.ok) {
      const error = (payload as { error?: { code?: unknown; message?: unknown } }).error;
      const code = isErrorCode(error?.code) ? error.code : 'SERVER_ERROR';
      const message =
        typeof error?.message === 'string'
          ? error.message
          : `guard: the server answered ${response.status} to ${method} ${url.pathname}`;
      throw new GuardError(code, message);
    }
    return payload as T;
  }
}

/** The job's run identity from the runner's environment, as `run_id/run_attempt/job`. */
export function runOf(env: NodeJS.ProcessEnv): string | undefined {
  const { GITHUB_RUN_ID: runId, GITHUB_RUN_ATTEMPT: attempt, GITHUB_JOB: job } = env;
  return runId && attempt && job ? `${runId}/${attempt}/${job}` : undefined;
}

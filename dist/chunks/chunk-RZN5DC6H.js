import { createRequire as __guardCreateRequire } from 'node:module'; import { fileURLToPath as __guardFileURLToPath } from 'node:url'; import { dirname as __guardDirname } from 'node:path'; const require = __guardCreateRequire(import.meta.url); const __guard_filename = __guardFileURLToPath(import.meta.url); const __guard_dirname = __guardDirname(__guard_filename);
import {
  networkReason
} from "./chunk-TF3SHLX6.js";
import {
  GuardError,
  isErrorCode
} from "./chunk-I2IPMUGB.js";

// client/server-api.ts
var GuardServerClient = class {
  /** `run` is `run_id/run_attempt/job` of the job making the calls; the server refuses a credential from another run. */
  constructor(baseUrl, credential, run = runOf(process.env)) {
    this.baseUrl = baseUrl;
    this.credential = credential;
    this.run = run;
  }
  baseUrl;
  credential;
  run;
  openSession(token, job) {
    return this.#call("POST", "/v1/sessions", { token, job });
  }
  /** Closes the session; with the manifest, the server checks it, signs it and appends it to its ledger. */
  closeSession(manifest) {
    return this.#call("POST", "/v1/session/close", manifest === void 0 ? {} : { manifest });
  }
  registerStep(input) {
    return this.#call("POST", "/v1/steps", input);
  }
  /** A statement a db step's proxy holds; wait on the returned approval like a step's. */
  requestSqlApproval(stepId, input) {
    return this.#call("POST", `/v1/steps/${encodeURIComponent(stepId)}/sql-approvals`, input);
  }
  /** Releases the step; for a db step the answer carries the registered connection (never printed). */
  startStep(stepId, scriptSha256) {
    return this.#call("POST", `/v1/steps/${encodeURIComponent(stepId)}/start`, { scriptSha256 });
  }
  finishStep(stepId, input) {
    return this.#call("POST", `/v1/steps/${encodeURIComponent(stepId)}/finish`, input);
  }
  /** One long-poll: returns when the approval is decided or after about `timeoutSec`. */
  waitForApproval(id, timeoutSec, signal) {
    return this.#call(
      "GET",
      `/v1/approvals/${encodeURIComponent(id)}/wait?timeout=${timeoutSec}`,
      void 0,
      { timeoutMs: (timeoutSec + 30) * 1e3, signal }
    );
  }
  /** A reviewer's queue of approvals they may decide. */
  listPending() {
    return this.#call("GET", "/v1/approvals");
  }
  decide(id, decision, comment) {
    return this.#call("POST", `/v1/approvals/${encodeURIComponent(id)}/decision`, {
      decision,
      ...comment ? { comment } : {}
    });
  }
  async #call(method, path, body, options = {}) {
    const url = new URL(path, this.baseUrl.endsWith("/") ? this.baseUrl : `${this.baseUrl}/`);
    const timeout = AbortSignal.timeout(options.timeoutMs ?? 3e4);
    let response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          accept: "application/json",
          ...body === void 0 ? {} : { "content-type": "application/json" },
          ...this.credential ? { authorization: `Bearer ${this.credential}` } : {},
          ...this.run ? { "x-guard-run": this.run } : {}
        },
        ...body === void 0 ? {} : { body: JSON.stringify(body) },
        signal: options.signal ? AbortSignal.any([timeout, options.signal]) : timeout
      });
    } catch (error) {
      throw new GuardError(
        "SERVER_UNREACHABLE",
        `guard: cannot reach the guard server at ${this.baseUrl} (${networkReason(error)}); check the action's 'server' input and that the server is up`,
        { cause: error }
      );
    }
    const text = await response.text();
    let payload;
    try {
      payload = text ? JSON.parse(text) : {};
    } catch (error) {
      throw new GuardError(
        "SERVER_ERROR",
        `guard: the server at ${this.baseUrl} answered ${response.status} with something that is not JSON; is 'server' pointing at a guard server?`,
        { cause: error }
      );
    }
    if (!response.ok) {
      const error = payload.error;
      const code = isErrorCode(error?.code) ? error.code : "SERVER_ERROR";
      const message = typeof error?.message === "string" ? error.message : `guard: the server answered ${response.status} to ${method} ${url.pathname}`;
      throw new GuardError(code, message);
    }
    return payload;
  }
};
function runOf(env) {
  const { GITHUB_RUN_ID: runId, GITHUB_RUN_ATTEMPT: attempt, GITHUB_JOB: job } = env;
  return runId && attempt && job ? `${runId}/${attempt}/${job}` : void 0;
}

export {
  GuardServerClient
};

import { createRequire as __guardCreateRequire } from 'node:module'; import { fileURLToPath as __guardFileURLToPath } from 'node:url'; import { dirname as __guardDirname } from 'node:path'; const require = __guardCreateRequire(import.meta.url); const __guard_filename = __guardFileURLToPath(import.meta.url); const __guard_dirname = __guardDirname(__guard_filename);
import {
  RUNNER_CREDENTIAL_PREFIX
} from "./chunk-LROATGUR.js";
import {
  networkReason,
  sleep
} from "./chunk-TF3SHLX6.js";
import {
  GuardError,
  isErrorCode
} from "./chunk-I2IPMUGB.js";

// runner-hook/hook-settings.ts
import { readFile, stat } from "node:fs/promises";
var HOOK_ENV = {
  server: "GUARD_RUNNER_SERVER",
  credentialFile: "GUARD_RUNNER_CREDENTIAL_FILE",
  timeout: "GUARD_RUNNER_HOOK_TIMEOUT"
};
var DEFAULT_TIMEOUT_SEC = { started: 3600, completed: 600 };
async function readHookSettings(env, hook) {
  const server = env[HOOK_ENV.server];
  if (!server)
    throw new GuardError(
      "CONFIG_INVALID",
      `guard runner hook: ${HOOK_ENV.server} is not set; re-run \`guard runner-hook install\` on this runner`
    );
  try {
    new URL(server);
  } catch (error) {
    throw new GuardError("CONFIG_INVALID", `guard runner hook: ${HOOK_ENV.server} is not a URL`, {
      cause: error
    });
  }
  const rawTimeout = env[HOOK_ENV.timeout];
  const timeoutSec = rawTimeout ? Number(rawTimeout) : DEFAULT_TIMEOUT_SEC[hook];
  if (!Number.isFinite(timeoutSec) || timeoutSec <= 0)
    throw new GuardError(
      "CONFIG_INVALID",
      `guard runner hook: ${HOOK_ENV.timeout} must be a positive number of seconds`
    );
  return {
    server,
    credential: await readCredential(env[HOOK_ENV.credentialFile]),
    timeoutMs: timeoutSec * 1e3
  };
}
async function readCredential(file) {
  if (!file)
    throw new GuardError(
      "CONFIG_INVALID",
      `guard runner hook: ${HOOK_ENV.credentialFile} is not set; re-run \`guard runner-hook install\` on this runner`
    );
  let mode;
  let text;
  try {
    mode = (await stat(file)).mode;
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new GuardError(
      "CONFIG_INVALID",
      `guard runner hook: cannot read the runner credential file ${file}; re-run \`guard runner-hook install\``,
      { cause: error }
    );
  }
  if (process.platform !== "win32" && (mode & 63) !== 0)
    throw new GuardError(
      "CONFIG_INVALID",
      `guard runner hook: the runner credential file ${file} can be read by other users (mode ${(mode & 511).toString(8)}); run \`chmod 600 ${file}\` and rotate the credential with \`guard runner add\``
    );
  const credential = text.trim();
  if (!credential.startsWith(RUNNER_CREDENTIAL_PREFIX))
    throw new GuardError(
      "CONFIG_INVALID",
      `guard runner hook: ${file} does not hold a runner credential (${RUNNER_CREDENTIAL_PREFIX}...); re-run \`guard runner-hook install\``
    );
  return credential;
}

// runner-hook/runner-client.ts
var RunnerClient = class {
  constructor(baseUrl, credential, options) {
    this.baseUrl = baseUrl;
    this.options = options;
    this.#credential = credential;
  }
  baseUrl;
  options;
  #credential;
  whoami() {
    return this.#call("GET", "/v1/runner/whoami");
  }
  jobStarted(report) {
    return this.#call("POST", "/v1/runner/jobs/started", { report });
  }
  waitForApproval(id, timeoutSec) {
    return this.#call(
      "GET",
      `/v1/runner/approvals/${encodeURIComponent(id)}/wait?timeout=${timeoutSec}`,
      void 0,
      (timeoutSec + 30) * 1e3
    );
  }
  jobCompleted(request) {
    return this.#call("POST", "/v1/runner/jobs/completed", request);
  }
  shipChunk(chunk) {
    return this.#call("POST", "/v1/runner/recordings", chunk);
  }
  async #call(method, path, body, timeoutMs = 3e4) {
    const attempts = this.options.attempts ?? 3;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#once(method, path, body, timeoutMs);
      } catch (error) {
        const retry = error instanceof GuardError && error.code === "SERVER_UNREACHABLE" && attempt < attempts;
        if (!retry || this.options.signal.aborted) throw error;
        await sleep(500 * 2 ** (attempt - 1), this.options.signal);
      }
    }
  }
  async #once(method, path, body, timeoutMs) {
    const url = new URL(path, this.baseUrl.endsWith("/") ? this.baseUrl : `${this.baseUrl}/`);
    let response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          accept: "application/json",
          authorization: `Bearer ${this.#credential}`,
          ...body === void 0 ? {} : { "content-type": "application/json" }
        },
        ...body === void 0 ? {} : { body: JSON.stringify(body) },
        signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), this.options.signal])
      });
    } catch (error) {
      if (this.options.signal.aborted) throw timeLimit(this.options.signal, error);
      throw new GuardError(
        "SERVER_UNREACHABLE",
        `guard runner hook: cannot reach the guard server at ${this.baseUrl} (${networkReason(error)}); the job is refused because guard fails closed. Check that the server is up and reachable from this runner`,
        { cause: error }
      );
    }
    const text = await response.text().catch((error) => {
      throw this.options.signal.aborted ? timeLimit(this.options.signal, error) : error;
    });
    let payload;
    try {
      payload = text ? JSON.parse(text) : {};
    } catch (error) {
      throw new GuardError(
        "SERVER_ERROR",
        `guard runner hook: ${this.baseUrl} answered ${response.status} with something that is not JSON; is GUARD_RUNNER_SERVER a guard server?`,
        { cause: error }
      );
    }
    if (!response.ok) {
      const error = payload.error;
      const code = isErrorCode(error?.code) ? error.code : "SERVER_ERROR";
      throw new GuardError(
        code,
        typeof error?.message === "string" ? error.message : `guard runner hook: the server answered ${response.status} to ${method} ${url.pathname}`
      );
    }
    return payload;
  }
};
function timeLimit(signal, cause) {
  const why = signal.reason instanceof GuardError ? signal.reason : void 0;
  return why ?? new GuardError(
    "SERVER_UNREACHABLE",
    "guard runner hook: the hook reached its time limit (GUARD_RUNNER_HOOK_TIMEOUT)",
    {
      cause
    }
  );
}

export {
  HOOK_ENV,
  DEFAULT_TIMEOUT_SEC,
  readHookSettings,
  RunnerClient,
  timeLimit
};

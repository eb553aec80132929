import { createRequire as __guardCreateRequire } from 'node:module'; import { fileURLToPath as __guardFileURLToPath } from 'node:url'; import { dirname as __guardDirname } from 'node:path'; const require = __guardCreateRequire(import.meta.url); const __guard_filename = __guardFileURLToPath(import.meta.url); const __guard_dirname = __guardDirname(__guard_filename);
import {
  announceRequested,
  applyRetention,
  authenticateRunner,
  authenticateSession,
  bearer,
  closeSession,
  createApproval,
  decideApproval,
  decideStep,
  ensureKeySet,
  exportLedger,
  getApproval,
  listPendingApprovals,
  loadServerPolicies,
  openSession,
  publicKeys,
  recordEvent,
  resolveJobPolicy,
  updateApprovalContext,
  waitForApproval
} from "./chunk-ILLGFAFE.js";
import {
  loadServerSecret,
  releaseSshTarget,
  secretBox,
  sshTargetRegistered
} from "./chunk-UGHC5I7I.js";
import {
  REVIEW_PAGE_MIGRATIONS,
  TrustedIssuers,
  migrate,
  openDatabase
} from "./chunk-7VDHGFYH.js";
import {
  App,
  Octokit,
  Webhooks
} from "./chunk-SGP4MHZA.js";
import {
  KEYS_WELL_KNOWN_PATH
} from "./chunk-74IGE3EL.js";
import {
  checkRunnerGates
} from "./chunk-VAKW74VB.js";
import {
  html,
  unsafeRaw
} from "./chunk-E43K4DWN.js";
import {
  resolvePolicy
} from "./chunk-KIAGOMB5.js";
import {
  MAX_RECORDING_BYTES,
  RECORDING_PATH
} from "./chunk-LROATGUR.js";
import {
  createMasker
} from "./chunk-P6WCDXRM.js";
import {
  newCredential,
  newId,
  sha256Hex
} from "./chunk-RLLPX6DD.js";
import {
  GuardError,
  describeError
} from "./chunk-I2IPMUGB.js";

// server/databases.ts
var NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;
async function registerDatabase(db, box, name, connection) {
  if (!NAME.test(name))
    throw new GuardError(
      "BAD_INPUT",
      `guard: database name '${name}' must be lower-case letters, digits, '.', '_' or '-'`
    );
  await db.query(
    `insert into databases (name, connection_sealed) values ($1, $2)
     on conflict (name) do update set connection_sealed = excluded.connection_sealed, updated_at = now()`,
    [name, box.seal(JSON.stringify(connection))]
  );
}
async function removeDatabase(db, name) {
  return (await db.query("delete from databases where name = $1", [name])).rowCount > 0;
}
async function listDatabases(db, box) {
  const { rows } = await db.query(
    "select name, connection_sealed from databases order by name"
  );
  return rows.map((row) => {
    const connection = JSON.parse(box.open(row.connection_sealed));
    return {
      name: row.name,
      host: connection.host,
      port: connection.port,
      user: connection.user,
      database: connection.database,
      tls: connection.ssl?.mode ?? "disable"
    };
  });
}
async function releaseDatabase(db, box, name) {
  const { rows } = await db.query(
    "select connection_sealed from databases where name = $1",
    [name]
  );
  const row = rows[0];
  if (!row)
    throw new GuardError(
      "NOT_FOUND",
      `guard: no database '${name}' is registered on the guard server; the platform team adds it with \`guard server db add ${name} --url ...\``
    );
  return JSON.parse(box.open(row.connection_sealed));
}
async function databaseRegistered(db, name) {
  return (await db.query("select 1 from databases where name = $1", [name])).rowCount > 0;
}

// server/reviewers.ts
var LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
async function addReviewer(db, login) {
  if (!LOGIN.test(login)) throw new GuardError("BAD_INPUT", `guard: '${login}' is not a GitHub login`);
  const credential = newCredential("gr");
  await db.query(
    `insert into reviewers (login, credential_sha256) values ($1, $2)
     on conflict (login) do update set credential_sha256 = excluded.credential_sha256, created_at = now()`,
    [login.toLowerCase(), sha256Hex(credential)]
  );
  return credential;
}
async function authenticateReviewer(db, authorization) {
  const credential = bearer(authorization);
  if (!credential?.startsWith("gr_")) {
    throw new GuardError(
      "FORBIDDEN",
      "guard: deciding an approval needs a reviewer credential (see `guard reviewer add`)"
    );
  }
  const { rows } = await db.query(
    "select login from reviewers where credential_sha256 = $1",
    [sha256Hex(credential)]
  );
  const row = rows[0];
  if (!row) throw new GuardError("FORBIDDEN", "guard: the reviewer credential is not known to this server");
  return { login: row.login };
}

// server/api.ts
import { timingSafeEqual } from "node:crypto";

// server/http/router.ts
var Router = class {
  #routes = [];
  add(method, path, handler) {
    const keys = [];
    const pattern = new RegExp(
      "^" + path.replace(/:([a-zA-Z]+)/g, (_, key) => {
        keys.push(key);
        return "([^/]+)";
      }) + "$"
    );
    this.#routes.push({ method, pattern, keys, handler });
    return this;
  }
  async handle(request) {
    let pathMatched = false;
    for (const route of this.#routes) {
      const match = route.pattern.exec(request.path);
      if (!match) continue;
      pathMatched = true;
      if (route.method !== request.method) continue;
      const params = Object.fromEntries(
        route.keys.map((key, i) => [key, decodeURIComponent(match[i + 1] ?? "")])
      );
      try {
        return await route.handler(request, params);
      } catch (error) {
        return errorResponse(error);
      }
    }
    return pathMatched ? {
      status: 405,
      body: {
        error: {
          code: "BAD_INPUT",
          message: `guard: ${request.method} is not allowed on ${request.path}`
        }
      }
    } : {
      status: 404,
      body: { error: { code: "NOT_FOUND", message: `guard: no such endpoint ${request.path}` } }
    };
  }
};
function errorResponse(error) {
  if (error instanceof GuardError)
    return { status: error.status, body: { error: { code: error.code, message: error.message } } };
  console.error(`guard server: internal error: ${describeError(error)}`);
  return {
    status: 500,
    body: {
      error: { code: "INTERNAL", message: "guard server: internal error; the server log has the detail" }
    }
  };
}

// server/steps.ts
var KINDS = ["shell", "db", "ssh"];
async function registerStep(ctx, session, input) {
  if (typeof input.script !== "string")
    throw new GuardError("BAD_INPUT", "guard: the step script is missing");
  const kind = input.kind ?? "shell";
  if (!KINDS.includes(kind))
    throw new GuardError("BAD_INPUT", `guard: step kind must be one of ${KINDS.join(", ")}`);
  const name = typeof input.name === "string" && input.name.trim() ? input.name.trim().slice(0, 200) : "step";
  const target = typeof input.target === "string" && input.target ? input.target : void 0;
  if (kind !== "shell" && !target)
    throw new GuardError("BAD_INPUT", `guard: a ${kind} step needs a target name`);
  if (kind === "db" && target && !await databaseRegistered(ctx.db, target)) {
    throw new GuardError(
      "NOT_FOUND",
      `guard: no database '${target}' is registered on the guard server; the platform team adds it with \`guard server db add ${target} --url ...\``
    );
  }
  if (kind === "ssh" && target && !await sshTargetRegistered(ctx.db, target)) {
    throw new GuardError(
      "NOT_FOUND",
      `guard: no SSH target '${target}' is registered on the guard server; the platform team adds it with \`guard server ssh add ${target} --host HOST --user USER --key FILE --host-key '...'\``
    );
  }
  if (typeof input.scriptSha256 !== "string" || !/^[0-9a-f]{64}$/.test(input.scriptSha256)) {
    throw new GuardError("BAD_INPUT", "guard: scriptSha256 (hex sha256 of the raw script) is missing");
  }
  const scriptSha256 = input.scriptSha256;
  const decision = decideStep(session.policy, {
    name,
    kind,
    script: input.script,
    ...target ? { target } : {}
  });
  const masked = createMasker({
    packs: session.policy.masking.packs,
    rules: session.policy.masking.rules
  }).maskText(input.script);
  const stepId = newId();
  const { seq, approvalId } = await ctx.db.transaction(async (tx) => {
    const next = await tx.query(
      "select coalesce(max(seq), 0) + 1 as seq from steps where session_id = $1",
      [session.id]
    );
    const seq2 = next.rows[0]?.seq ?? 1;
    const status = decision.action === "block" ? "blocked" : decision.action === "allow" ? "released" : "waiting";
    await tx.query(
      `insert into steps (id, session_id, seq, name, kind, target, script_sha256, script_masked, decision, rule, reason, status)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        stepId,
        session.id,
        seq2,
        name,
        kind,
        target ?? null,
        scriptSha256,
        masked,
        decision.action,
        decision.rule ?? null,
        decision.reason,
        status
      ]
    );
    await recordEvent(tx, session.id, "step.registered", {
      step: stepId,
      seq: seq2,
      name,
      kind,
      target,
      script_sha256: scriptSha256,
      decision: decision.action,
      rule: decision.rule,
      reason: decision.reason
    });
    const approvalId2 = decision.action === "require-approval" ? await createApproval(tx, ctx, {
      kind: "step",
      stepId,
      ...approvalOrigin(session),
      title: `step ${name}`,
      body: masked,
      digest: scriptSha256,
      context: {
        ...approvalContext(session),
        reason: decision.reason
      },
      rules: session.policy.approvals
    }) : null;
    return { seq: seq2, approvalId: approvalId2 };
  });
  if (approvalId) await announceRequested(ctx, approvalId);
  return {
    step: { id: stepId, seq, name },
    decision: { action: decision.action, rule: decision.rule ?? null, reason: decision.reason },
    approval: approvalId ? await getApproval(ctx, approvalId) : null
  };
}
async function startStep(ctx, session, stepId, input) {
  const step = await loadStep(ctx, session, stepId);
  if (input.scriptSha256 !== step.script_sha256) {
    throw new GuardError(
      "APPROVAL_DRIFT",
      `guard: step '${step.name}' changed after it was judged; a changed script needs a new decision`
    );
  }
  if (step.decision === "block") {
    throw new GuardError(
      "POLICY_DENIED",
      `guard: step '${step.name}' is blocked by policy (${step.rule ?? "policy"}: ${step.reason})`
    );
  }
  if (step.decision === "require-approval") {
    const { rows } = await ctx.db.query(
      `select id from approvals where step_id = $1 and kind = 'step'`,
      [stepId]
    );
    const approval = rows[0] ? await getApproval(ctx, rows[0].id) : void 0;
    if (approval?.status !== "approved" || approval.digest !== step.script_sha256) {
      const status = approval?.status ?? "missing";
      throw new GuardError(
        status === "expired" ? "APPROVAL_EXPIRED" : "APPROVAL_DENIED",
        `guard: step '${step.name}' is not approved (approval ${approval?.id ?? "-"} is ${status})`
      );
    }
  }
  const updated = await ctx.db.query(
    `update steps set status = 'running', started_at = now() where id = $1 and status in ('released', 'waiting')`,
    [stepId]
  );
  if (updated.rowCount === 0)
    throw new GuardError(
      "SESSION_CLOSED",
      `guard: step '${step.name}' was already started; a decision releases one run`
    );
  await recordEvent(ctx.db, session.id, "step.started", { step: stepId, seq: step.seq });
  if (step.kind === "db" && step.target) {
    const database = await releaseDatabase(ctx.db, ctx.secrets, step.target);
    await recordEvent(ctx.db, session.id, "credential.released", {
      step: stepId,
      seq: step.seq,
      database: step.target
    });
    return { released: true, database };
  }
  if (step.kind === "ssh" && step.target) {
    const ssh = await releaseSshTarget(ctx.db, ctx.secrets, step.target);
    await recordEvent(ctx.db, session.id, "credential.released", {
      step: stepId,
      seq: step.seq,
      ssh: step.target
    });
    return { released: true, ssh };
  }
  return { released: true };
}
async function finishStep(ctx, session, stepId, input) {
  const step = await loadStep(ctx, session, stepId);
  const exitCode = typeof input.exitCode === "number" && Number.isInteger(input.exitCode) ? input.exitCode : null;
  const castSha256 = typeof input.castSha256 === "string" && /^[0-9a-f]{64}$/.test(input.castSha256) ? input.castSha256 : null;
  const maskCounts = isCounts(input.maskCounts) ? input.maskCounts : {};
  const updated = await ctx.db.query(
    `update steps set status = 'finished', ended_at = now(), exit_code = $2, cast_sha256 = $3, mask_counts = $4 where id = $1 and status = 'running'`,
    [stepId, exitCode, castSha256, JSON.stringify(maskCounts)]
  );
  if (updated.rowCount === 0) throw new GuardError("BAD_INPUT", `guard: step '${step.name}' is not running`);
  await recordEvent(ctx.db, session.id, "step.finished", {
    step: stepId,
    seq: step.seq,
    exit_code: exitCode,
    cast_sha256: castSha256,
    mask_counts: maskCounts
  });
}
async function loadStep(ctx, session, stepId) {
  const { rows } = await ctx.db.query("select * from steps where id = $1 and session_id = $2", [
    stepId,
    session.id
  ]);
  const step = rows[0];
  if (!step) throw new GuardError("NOT_FOUND", `guard: step ${stepId} does not belong to this session`);
  return step;
}
function isCounts(value) {
  return typeof value === "object" && value !== null && Object.values(value).every((count) => Number.isInteger(count) && count >= 0);
}
async function requestSqlApproval(ctx, session, stepId, input) {
  const step = await loadStep(ctx, session, stepId);
  if (step.kind !== "db" || step.status !== "running") {
    throw new GuardError("BAD_INPUT", `guard: step '${step.name}' is not a running database step`);
  }
  if (typeof input.sql !== "string" || input.sql.length === 0 || input.sql.length > 1e5) {
    throw new GuardError(
      "BAD_INPUT",
      "guard: sql must be the statement text (masked), at most 100,000 characters"
    );
  }
  if (typeof input.digest !== "string" || !/^[0-9a-f]{64}$/.test(input.digest)) {
    throw new GuardError("BAD_INPUT", "guard: digest must be the hex sha256 of the statement");
  }
  const body = createMasker({
    packs: session.policy.masking.packs,
    rules: session.policy.masking.rules
  }).maskText(input.sql);
  const reason = typeof input.reason === "string" ? input.reason.slice(0, 500) : "policy requires approval for this statement";
  const id = await ctx.db.transaction(
    (tx) => createApproval(tx, ctx, {
      kind: "sql",
      stepId,
      ...approvalOrigin(session),
      title: `SQL in step ${step.name} (${step.target ?? "database"})`,
      body,
      digest: input.digest,
      context: {
        ...approvalContext(session),
        reason,
        database: step.target
      },
      rules: session.policy.approvals
    })
  );
  await announceRequested(ctx, id);
  return getApproval(ctx, id);
}
function approvalOrigin(session) {
  return {
    sessionId: session.id,
    repository: session.repository,
    runId: session.run_id,
    runAttempt: session.run_attempt,
    actor: session.claims.actor,
    ...session.claims.triggering_actor ? { triggeringActor: session.claims.triggering_actor } : {}
  };
}
function approvalContext(session) {
  return {
    job: session.job,
    sha: session.claims.sha,
    ref: session.claims.ref,
    workflow: session.claims.workflow
  };
}

// server/api.ts
function buildApi(ctx) {
  const router = new Router();
  const body = (request) => typeof request.body === "object" && request.body !== null ? request.body : {};
  router.add("GET", KEYS_WELL_KNOWN_PATH, async () => ({
    status: 200,
    body: publicKeys(await ensureKeySet(ctx.db, ctx.secrets)),
    headers: { "cache-control": "public, max-age=300" }
  }));
  router.add("GET", "/v1/audit/export", async (request) => {
    authenticateAuditor(ctx, request.headers.authorization);
    const since = request.query.get("since") ?? void 0;
    const repository = request.query.get("repository") ?? void 0;
    return {
      status: 200,
      body: await exportLedger(ctx.db, {
        ...since ? { since } : {},
        ...repository ? { repository } : {}
      }),
      headers: { "content-type": "application/x-ndjson" }
    };
  });
  router.add("GET", "/healthz", async () => ({ status: 200, body: { ok: true, database: ctx.db.kind } }));
  router.add("POST", "/v1/sessions", async (request) => {
    const opened = await openSession(ctx, body(request));
    return {
      status: 201,
      body: {
        session: { id: opened.id, credential: opened.credential, expiresAt: opened.expiresAt },
        policy: opened.policy,
        identity: opened.claims,
        deployment: opened.deployment
      }
    };
  });
  router.add("POST", "/v1/session/close", async (request) => {
    const session = await authenticateSession(
      ctx,
      request.headers.authorization,
      request.headers["x-guard-run"]
    );
    const { sealed } = await closeSession(ctx, session, body(request));
    return { status: 200, body: { closed: true, ...sealed ?? {} } };
  });
  router.add("POST", "/v1/steps", async (request) => {
    const session = await authenticateSession(
      ctx,
      request.headers.authorization,
      request.headers["x-guard-run"]
    );
    return { status: 201, body: await registerStep(ctx, session, body(request)) };
  });
  router.add("POST", "/v1/steps/:id/start", async (request, params) => {
    const session = await authenticateSession(
      ctx,
      request.headers.authorization,
      request.headers["x-guard-run"]
    );
    return { status: 200, body: await startStep(ctx, session, params.id ?? "", body(request)) };
  });
  router.add("POST", "/v1/steps/:id/finish", async (request, params) => {
    const session = await authenticateSession(
      ctx,
      request.headers.authorization,
      request.headers["x-guard-run"]
    );
    await finishStep(ctx, session, params.id ?? "", body(request));
    return { status: 200, body: { finished: true } };
  });
  router.add("GET", "/v1/approvals", async (request) => {
    const reviewer = await authenticateReviewer(ctx.db, request.headers.authorization);
    return { status: 200, body: { approvals: await listPendingApprovals(ctx, reviewer) } };
  });
  router.add("POST", "/v1/steps/:id/sql-approvals", async (request, params) => {
    const session = await authenticateSession(
      ctx,
      request.headers.authorization,
      request.headers["x-guard-run"]
    );
    return { status: 201, body: await requestSqlApproval(ctx, session, params.id ?? "", body(request)) };
  });
  router.add("GET", "/v1/approvals/:id", async (request, params) => {
    await authenticateEither(ctx, request);
    return { status: 200, body: await getApproval(ctx, params.id ?? "") };
  });
  router.add("GET", "/v1/approvals/:id/wait", async (request, params) => {
    const session = await authenticateSession(
      ctx,
      request.headers.authorization,
      request.headers["x-guard-run"]
    );
    const state = await getApproval(ctx, params.id ?? "");
    if (state.sessionId !== session.id)
      throw new GuardError("NOT_FOUND", `guard: approval ${params.id} does not belong to this session`);
    const requested = Number(request.query.get("timeout") ?? ctx.config.maxWaitSec);
    const timeoutSec = Number.isFinite(requested) && requested > 0 ? Math.min(requested, ctx.config.maxWaitSec) : ctx.config.maxWaitSec;
    return { status: 200, body: await waitForApproval(ctx, state.id, timeoutSec * 1e3, request.signal) };
  });
  router.add("POST", "/v1/approvals/:id/decision", async (request, params) => {
    const reviewer = await authenticateReviewer(ctx.db, request.headers.authorization);
    const input = body(request);
    return {
      status: 200,
      body: await decideApproval(ctx, params.id ?? "", reviewer, {
        decision: input.decision,
        comment: input.comment,
        channel: "api"
      })
    };
  });
  return router;
}
async function authenticateEither(ctx, request) {
  const authorization = request.headers.authorization ?? "";
  if (/^Bearer\s+gr_/i.test(authorization)) await authenticateReviewer(ctx.db, authorization);
  else await authenticateSession(ctx, authorization, request.headers["x-guard-run"]);
}
function authenticateAuditor(ctx, authorization) {
  const presented = Buffer.from(bearer(authorization) ?? "");
  const expected = Buffer.from(ctx.config.auditToken ?? "");
  if (expected.length === 0) {
    throw new GuardError(
      "FORBIDDEN",
      "guard: the ledger export is off; the platform team enables it with GUARD_AUDIT_TOKEN"
    );
  }
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
    throw new GuardError(
      "FORBIDDEN",
      "guard: the ledger export needs the audit token (GUARD_AUDIT_TOKEN) as a bearer token"
    );
  }
}

// server/approval-waiters.ts
import { EventEmitter } from "node:events";
var CHANNEL = "guard_approval";
var ApprovalWaiters = class {
  constructor(db) {
    this.db = db;
    this.#emitter.setMaxListeners(0);
  }
  db;
  #emitter = new EventEmitter();
  #unlisten;
  async start() {
    this.#unlisten = await this.db.listen(CHANNEL, (approvalId) => this.#emitter.emit(approvalId));
  }
  async announce(approvalId) {
    await this.db.notify(CHANNEL, approvalId);
  }
  /** Resolves true when the approval changes, false when `timeoutMs` passes or `signal` aborts first. */
  changed(approvalId, timeoutMs, signal) {
    return new Promise((resolve) => {
      const done = (value) => {
        clearTimeout(timer);
        this.#emitter.off(approvalId, onChange);
        signal?.removeEventListener("abort", onAbort);
        resolve(value);
      };
      const onChange = () => done(true);
      const onAbort = () => done(false);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.#emitter.on(approvalId, onChange);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }
  async stop() {
    await this.#unlisten?.();
    this.#emitter.removeAllListeners();
  }
};

// server/approval-events.ts
var ApprovalEvents = class {
  constructor(log) {
    this.log = log;
  }
  log;
  #listeners = { requested: [], decided: [] };
  on(type, listener) {
    this.#listeners[type].push(listener);
  }
  /** Runs every listener; resolves when all have settled (tests await it, the API does not). */
  async emit(type, event) {
    await Promise.all(
      this.#listeners[type].map(async (listener) => {
        try {
          await listener(event);
        } catch (error) {
          this.log(
            `approval ${event.approval.id}: ${type} listener failed: ${error instanceof Error ? error.message : String(error)}`
          );
        }
      })
    );
  }
};

// server/http/node-adapter.ts
import { createServer } from "node:http";
var MAX_BODY = 1024 * 1024;
async function listen(router, host, port) {
  const server = createServer((req, res) => {
    const controller = new AbortController();
    res.on("close", () => controller.abort());
    void (async () => {
      let status = 500;
      let payload;
      let headers = {};
      try {
        const url = new URL(req.url ?? "/", "http://localhost");
        const { body, raw } = await readJson(req);
        const response = await router.handle({
          method: req.method ?? "GET",
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          body,
          rawBody: raw,
          ...req.socket.remoteAddress ? { remoteAddress: req.socket.remoteAddress } : {},
          signal: controller.signal
        });
        ({ status } = response);
        payload = response.body;
        headers = response.headers ?? {};
      } catch (error) {
        status = 400;
        payload = {
          error: { code: "BAD_INPUT", message: error instanceof Error ? error.message : "bad request" }
        };
      }
      if (res.destroyed) return;
      if (typeof payload === "string") {
        res.writeHead(status, { "content-type": "text/html; charset=utf-8", ...headers });
        res.end(payload);
      } else {
        res.writeHead(status, {
          "content-type": "application/json",
          "cache-control": "no-store",
          ...headers
        });
        res.end(JSON.stringify(payload));
      }
    })();
  });
  server.requestTimeout = 0;
  server.keepAliveTimeout = 5e3;
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return { server, url: `http://${shownHost}:${address.port}` };
}
async function readJson(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY) throw new Error("guard: request body larger than 1 MiB");
    chunks.push(chunk);
  }
  const raw = Buffer.concat(chunks);
  if (size === 0) return { body: void 0, raw };
  try {
    return { body: JSON.parse(raw.toString("utf8")), raw };
  } catch {
    throw new Error("guard: request body is not valid JSON");
  }
}

// server/github/background.ts
var BackgroundWork = class {
  constructor(log) {
    this.log = log;
  }
  log;
  #pending = /* @__PURE__ */ new Set();
  run(label, task) {
    const promise = task().catch((error) => {
      this.log(`${label} failed: ${error instanceof Error ? error.message : String(error)}`);
    }).finally(() => this.#pending.delete(promise));
    this.#pending.add(promise);
  }
  /** Resolves once nothing is running, including work started by work that was running. */
  async settled() {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }
};

// server/github/config.ts
import { readFileSync } from "node:fs";
var DEFAULT_API_URL = "https://api.github.com";
function readGitHubAppConfig(env) {
  const appId = env.GUARD_GITHUB_APP_ID?.trim();
  const key = env.GUARD_GITHUB_APP_PRIVATE_KEY?.trim();
  const secrets = (env.GUARD_GITHUB_WEBHOOK_SECRET ?? "").split(",").map((secret) => secret.trim()).filter(Boolean);
  if (!appId && !key && secrets.length === 0) return void 0;
  const missing = [
    !appId && "GUARD_GITHUB_APP_ID",
    !key && "GUARD_GITHUB_APP_PRIVATE_KEY",
    secrets.length === 0 && "GUARD_GITHUB_WEBHOOK_SECRET"
  ].filter(Boolean);
  if (missing.length > 0) {
    throw new GuardError(
      "CONFIG_INVALID",
      `guard server: the GitHub App is partly configured; also set ${missing.join(", ")} (see docs/github-app.md)`
    );
  }
  if (!/^\d+$/.test(appId ?? ""))
    throw new GuardError(
      "CONFIG_INVALID",
      `guard server: GUARD_GITHUB_APP_ID must be the App's numeric id, got '${appId}'`
    );
  const apiUrl = (env.GUARD_GITHUB_API_URL?.trim() || DEFAULT_API_URL).replace(/\/+$/, "");
  let url;
  try {
    url = new URL(apiUrl);
  } catch (cause) {
    throw new GuardError("CONFIG_INVALID", `guard server: GUARD_GITHUB_API_URL '${apiUrl}' is not a URL`, {
      cause
    });
  }
  const loopback = ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
  if (url.protocol !== "https:" && !loopback)
    throw new GuardError(
      "CONFIG_INVALID",
      `guard server: GUARD_GITHUB_API_URL must use https (plain http only on loopback, for the stand-in)`
    );
  return { appId: Number(appId), privateKey: readKey(key ?? ""), webhookSecrets: secrets, apiUrl };
}
function readKey(value) {
  let pem = value;
  if (value.startsWith("@")) {
    try {
      pem = readFileSync(value.slice(1), "utf8");
    } catch (cause) {
      throw new GuardError(
        "CONFIG_INVALID",
        `guard server: cannot read the GitHub App private key from ${value.slice(1)}; check the path and its permissions`,
        { cause }
      );
    }
  }
  pem = pem.replace(/\\n/g, "\n").trim();
  if (!/^-----BEGIN (RSA )?PRIVATE KEY-----[\s\S]+-----END (RSA )?PRIVATE KEY-----$/.test(pem)) {
    throw new GuardError(
      "CONFIG_INVALID",
      "guard server: GUARD_GITHUB_APP_PRIVATE_KEY is not a PEM private key; give the .pem GitHub generated for the App, or @/path/to/it"
    );
  }
  return `${pem}
`;
}

// server/github/deliveries.ts
async function acceptDelivery(db, delivery) {
  const inserted = await db.query(
    `insert into github_deliveries (delivery_id, payload_sha256, event, action) values ($1, $2, $3, $4) on conflict do nothing`,
    [delivery.id, sha256Hex(delivery.rawBody), delivery.event, delivery.action ?? null]
  );
  return inserted.rowCount > 0;
}
async function finishDelivery(db, id, outcome2) {
  await db.query(`update github_deliveries set processed_at = now(), outcome = $2 where delivery_id = $1`, [
    id,
    outcome2.slice(0, 500)
  ]);
}
async function pruneDeliveries(db, before) {
  return (await db.query("delete from github_deliveries where received_at < $1", [before])).rowCount;
}

// server/github/deployment-claims.ts
function runIdFromCallback(callbackUrl, apiUrl, repository) {
  const prefix = `${apiUrl}/repos/${repository}/actions/runs/`.toLowerCase();
  if (!callbackUrl.toLowerCase().startsWith(prefix)) return void 0;
  const match = /^(\d+)\/deployment_protection_rule$/.exec(callbackUrl.slice(prefix.length));
  return match?.[1];
}
function claimsFromProtectionRule(request, runId) {
  const repository = request.repository.full_name;
  const rawRef = request.deployment?.ref ?? "";
  const ref = rawRef.startsWith("refs/") || /^[0-9a-f]{40}$/.test(rawRef) || !rawRef ? rawRef : `refs/heads/${rawRef}`;
  const environment = request.environment ?? "";
  return {
    iss: "github-deployment-protection-rule",
    aud: "guard",
    sub: `repo:${repository}:environment:${environment}`,
    repository,
    repository_id: String(request.repository.id),
    repository_owner: request.repository.owner.login,
    repository_owner_id: String(request.repository.owner.id),
    ...request.repository.visibility ? { repository_visibility: request.repository.visibility } : {},
    run_id: runId,
    run_attempt: "",
    ref,
    ...ref.startsWith("refs/heads/") ? { ref_type: "branch" } : ref.startsWith("refs/tags/") ? { ref_type: "tag" } : {},
    sha: request.deployment?.sha ?? "",
    actor: request.deployment?.creator?.login ?? request.sender.login,
    triggering_actor: request.sender.login,
    workflow: "",
    event_name: request.event ?? "",
    environment
  };
}

// server/github/github-client.ts
var GitHubClient = class {
  /**
   * `throttle: false` turns off octokit's pacing of writes (about one a second, GitHub's advice against
   * secondary rate limits); only tests against the stand-in should do that.
   */
  constructor(config, options = {}) {
    this.config = config;
    this.app = new App({
      appId: config.appId,
      privateKey: config.privateKey,
      Octokit: Octokit.defaults({
        baseUrl: config.apiUrl,
        // Webhook work runs in the background with a budget; a slow API must not hold it for minutes.
        request: { retries: 1 },
        ...options.throttle === false ? { throttle: { enabled: false } } : {}
      })
    });
  }
  config;
  app;
  #installations = /* @__PURE__ */ new Map();
  /** An octokit for the installation that serves `owner/repo`. */
  async forRepository(repository, installationId) {
    return this.app.getInstallationOctokit(
      installationId ?? await this.installationOf(`repo:${repository}`)
    );
  }
  /** An octokit for the installation on an organization (team membership needs the org's installation). */
  async forOrganization(org) {
    return this.app.getInstallationOctokit(await this.installationOf(`org:${org}`));
  }
  /** Seeds the cache from a webhook's `installation.id`, saving a lookup. */
  remember(repository, installationId) {
    this.#installations.set(`repo:${repository.toLowerCase()}`, Promise.resolve(installationId));
  }
  installationOf(key) {
    const normalised = key.toLowerCase();
    let pending = this.#installations.get(normalised);
    if (!pending) {
      const [kind, name = ""] = normalised.split(/:(.*)/s);
      pending = (async () => {
        if (kind === "org") {
          const { data: data2 } = await this.app.octokit.request("GET /orgs/{org}/installation", { org: name });
          return data2.id;
        }
        const [owner = "", repo = ""] = name.split("/");
        const { data } = await this.app.octokit.request("GET /repos/{owner}/{repo}/installation", {
          owner,
          repo
        });
        return data.id;
      })();
      pending.catch(() => this.#installations.delete(normalised));
      this.#installations.set(normalised, pending);
    }
    return pending;
  }
};
function splitRepository(repository) {
  const [owner = "", repo = ""] = repository.split("/");
  return { owner, repo };
}

// server/github/render.ts
var MAX_BODY2 = 3e4;
var MARKER = "<!-- guard-approval:";
function subjectOf(approval) {
  return approval.kind === "step" ? approval.title.replace(/^step\s+/, "") : approval.title;
}
function checkRunName(approval) {
  return `guard: approval for ${subjectOf(approval)}`.slice(0, 255);
}
function checkConclusion(approval) {
  switch (approval.status) {
    case "pending":
      return "action_required";
    case "approved":
      return "success";
    case "denied":
      return "failure";
    case "expired":
      return "timed_out";
  }
}
function statusLine(approval) {
  const approvals = approval.votes.filter((v) => v.decision === "approve");
  switch (approval.status) {
    case "pending":
      return `waiting for approval: ${approvals.length} of ${approval.required}${approvals.length ? ` (${approvals.map(voteText).join("; ")})` : ""}`;
    case "approved":
      return `approved by ${approvals.map(voteText).join("; ")}`;
    case "denied": {
      const denial = approval.votes.find((v) => v.decision === "deny");
      return denial ? `denied by ${voteText(denial)}${denial.comment ? `: ${plain(denial.comment)}` : ""}` : `denied: ${plain(approval.reason ?? "")}`;
    }
    case "expired":
      return `expired at ${approval.decidedAt ?? approval.expiresAt}: ${plain(approval.reason ?? "no decision in time")}`;
  }
}
function checkRunOutput(approval) {
  const title = approval.status === "pending" ? `Waiting for approval (${approval.votes.filter((v) => v.decision === "approve").length} of ${approval.required})` : statusLine(approval);
  return {
    title: title.slice(0, 255),
    summary: [headline(approval), "", identityTable(approval), "", whatIsApproved(approval)].join("\n"),
    text: approval.status === "pending" ? `Approve or deny with the buttons of this check run, or comment \`/guard approve ${approval.id}\` or \`/guard deny ${approval.id} <reason>\` on the pull request.` : "Decided; the buttons are gone. A new run needs a new approval."
  };
}
function pullRequestComment(approval) {
  const how = approval.status === "pending" ? [
    "",
    "To decide, comment (first line only):",
    "",
    `- \`/guard approve ${approval.id} [comment]\``,
    `- \`/guard deny ${approval.id} <reason>\``
  ] : [];
  return [
    `${MARKER}${approval.id} -->`,
    headline(approval),
    "",
    identityTable(approval),
    "",
    whatIsApproved(approval),
    ...how
  ].join("\n");
}
function replyNotCounted(login, id, why) {
  return `@${login} your ${id ? `decision on \`${id}\`` : "command"} did not count: ${plain(why)}`;
}
function replyUnknownCommand(login, problem, help) {
  return `@${login} ${plain(problem)}.

${help}`;
}
function headline(approval) {
  const icon = { pending: "\u23F3", approved: "\u2705", denied: "\u26D4", expired: "\u231B" }[approval.status];
  return `### ${icon} guard: ${plain(approval.title)}: ${statusLine(approval)}`;
}
function identityTable(approval) {
  const c = approval.context;
  const text2 = (key) => typeof c[key] === "string" || typeof c[key] === "number" ? String(c[key]) : void 0;
  const rows = [
    ["repository", approval.repository],
    ["workflow", text2("workflow")],
    ["job", text2("job")],
    ["environment", text2("environment")],
    ["run", approval.runId ? `${approval.runId} (attempt ${approval.runAttempt ?? "1"})` : void 0],
    ["ref", text2("ref")],
    ["commit", text2("sha")],
    ["started by", approval.actor ?? void 0],
    ["approval id", approval.id],
    ["who may approve", approval.reviewers.length ? approval.reviewers.join(", ") : "nobody is configured"],
    ["approvals needed", String(approval.required)],
    ["expires", approval.expiresAt],
    ["why it is held", text2("reason")]
  ];
  return [
    "| | |",
    "| --- | --- |",
    ...rows.filter((row) => row[1] !== void 0).map(([k, v]) => `| ${k} | ${code(v)} |`)
  ].join("\n");
}
function whatIsApproved(approval) {
  const label = approval.kind === "sql" ? "SQL (masked)" : approval.kind === "step" ? "Script (masked)" : "What is approved";
  const body = approval.body.length > MAX_BODY2 ? `${approval.body.slice(0, MAX_BODY2)}
\u2026 (${approval.body.length - MAX_BODY2} more characters; the digest covers all of it)` : approval.body;
  return [
    `${label}, sha256 \`${approval.digest}\`:`,
    "",
    fenced(body, approval.kind === "sql" ? "sql" : approval.kind === "step" ? "sh" : "")
  ].join("\n");
}
function voteText(vote) {
  return `${vote.reviewer} via ${vote.channel} at ${vote.at}`;
}
function fenced(body, language) {
  const longest = Math.max(0, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}${language}
${body}
${fence}`;
}
function code(value) {
  return `\`${value.replace(/[`\r\n]/g, " ").replace(/\|/g, "\\|")}\``;
}
function plain(text2) {
  return text2.replace(/[\r\n]+/g, " ").replace(/[<>]/g, "").replace(/@(?=\w)/g, "@\u200B").slice(0, 500);
}

// server/github/deployment-gate.ts
async function onProtectionRuleRequested(deps, event) {
  const request = event.payload;
  const repository = request.repository.full_name;
  const callback = request.deployment_callback_url ?? "";
  const installationId = request.installation?.id;
  if (installationId !== void 0) deps.client.remember(repository, installationId);
  const runId = runIdFromCallback(callback, deps.client.config.apiUrl, repository);
  if (!runId || !request.environment || !request.deployment) {
    await recordEvent(deps.ctx.db, null, "security.refused", {
      stage: "deployment_protection_rule",
      code: "BAD_INPUT",
      delivery: event.id,
      repository,
      callback
    });
    return "refused: the callback URL is not a deployment protection rule callback of this repository on the configured API";
  }
  const claims = claimsFromProtectionRule(request, runId);
  const resolution = resolveJobPolicy(deps.ctx.policies, claims);
  if (!resolution.ok) {
    await recordEvent(deps.ctx.db, null, "deployment.refused", {
      delivery: event.id,
      repository,
      environment: request.environment,
      run_id: runId,
      reason: resolution.reason
    });
    await answer(
      deps,
      { repository, runId, environment: request.environment, installationId },
      "rejected",
      resolution.reason
    );
    return "rejected: no policy allows it";
  }
  const policy = resolution.policy;
  const what = {
    repository,
    environment: request.environment,
    run_id: runId,
    deployment_id: request.deployment.id,
    ref: claims.ref,
    sha: claims.sha,
    event: claims.event_name
  };
  const body = [
    `Deployment ${request.deployment.id} of ${claims.sha || "(unknown commit)"} (${claims.ref || "unknown ref"})`,
    `to environment ${request.environment}, workflow run ${runId}, triggered by ${claims.triggering_actor} (${claims.event_name || "unknown event"}).`,
    `Policy: ${policy.name} (${policy.version}).`
  ].join("\n");
  const pullRequest = request.pull_requests?.[0]?.number;
  const id = await createApproval(deps.ctx.db, deps.ctx, {
    kind: "deployment",
    repository,
    runId,
    actor: claims.actor,
    ...claims.triggering_actor ? { triggeringActor: claims.triggering_actor } : {},
    title: `deployment to ${request.environment}`,
    body,
    // What is approved: this deployment of this commit to this environment, and nothing else.
    digest: sha256Hex(JSON.stringify(what)),
    context: {
      environment: request.environment,
      sha: claims.sha,
      ref: claims.ref,
      event: claims.event_name,
      deployment_id: request.deployment.id,
      deployment_callback_url: callback,
      ...installationId !== void 0 ? { installation_id: installationId } : {},
      ...pullRequest !== void 0 ? { pr_number: pullRequest } : {},
      policy: policy.name,
      github_rules: policy.approvals,
      delivery: event.id
    },
    rules: policy.approvals
  });
  await announceRequested(deps.ctx, id);
  return `held: approval ${id}`;
}
async function answerDecidedDeployment(deps, approval) {
  const c = approval.context;
  const environment = typeof c.environment === "string" ? c.environment : "";
  if (approval.kind !== "deployment" || !approval.runId || !environment) return;
  const state = approval.status === "approved" ? "approved" : "rejected";
  await answer(
    deps,
    {
      repository: approval.repository,
      runId: approval.runId,
      environment,
      installationId: typeof c.installation_id === "number" ? c.installation_id : void 0
    },
    state,
    `guard approval ${approval.id}: ${statusLine(approval)}`,
    approval.id
  );
}
async function answer(deps, target, state, comment, approvalId) {
  try {
    const octokit = await deps.client.forRepository(target.repository, target.installationId);
    await octokit.request("POST /repos/{owner}/{repo}/actions/runs/{run_id}/deployment_protection_rule", {
      ...splitRepository(target.repository),
      run_id: Number(target.runId),
      environment_name: target.environment,
      state,
      // GitHub shows the comment on the run; keep it short and free of anything masked.
      comment: comment.slice(0, 1e3)
    });
    await recordEvent(deps.ctx.db, null, "deployment.answered", {
      approval: approvalId ?? null,
      repository: target.repository,
      run_id: target.runId,
      environment: target.environment,
      state
    });
  } catch (error) {
    deps.ctx.log(
      `deployment protection rule for ${target.repository} run ${target.runId} (${target.environment}): could not answer '${state}': ${describeError(error)}`
    );
    await recordEvent(deps.ctx.db, null, "deployment.answer_failed", {
      approval: approvalId ?? null,
      repository: target.repository,
      run_id: target.runId,
      state,
      error: describeError(error).slice(0, 500)
    });
  }
}

// server/github/commands.ts
var COMMAND_HELP = [
  "guard understands, on the first line of a comment:",
  "",
  "- `/guard approve <id> [comment]`: approve the request with that id",
  "- `/guard deny <id> <reason>`: deny it (a reason is required)",
  "",
  "The id is the 8-character id shown in the approval request."
].join("\n");
function parseCommentCommand(body) {
  const first = body.replace(/^\s+/, "").split(/\r?\n/, 1)[0] ?? "";
  const words = first.trim().split(/\s+/);
  if ((words[0] ?? "").toLowerCase() !== "/guard") return { type: "none" };
  const verb = (words[1] ?? "").toLowerCase();
  if (verb !== "approve" && verb !== "deny")
    return {
      type: "invalid",
      problem: verb ? `'${truncate(words[1] ?? "")}' is not a guard command` : "the command is incomplete"
    };
  const id = (words[2] ?? "").toLowerCase();
  if (!/^[0-9a-f]{8}$/.test(id))
    return {
      type: "invalid",
      problem: id ? `'${truncate(words[2] ?? "")}' is not an approval id (8 hex characters)` : `\`/guard ${verb}\` needs an approval id`
    };
  const rest = words.slice(3).join(" ").trim().slice(0, 2e3);
  if (verb === "approve") return { type: "approve", id, comment: rest };
  if (!rest) return { type: "invalid", problem: `\`/guard deny ${id}\` needs a reason after the id` };
  return { type: "deny", id, reason: rest };
}
function parseActionIdentifier(identifier) {
  const match = /^(approve|deny):([0-9a-f]{8})$/.exec(identifier);
  return match ? { decision: match[1], id: match[2] ?? "" } : void 0;
}
function truncate(word) {
  return word.slice(0, 20).replace(/[`'<>@]/g, "");
}

// server/github/pull-request.ts
function pullRequestFromRef(ref) {
  if (typeof ref !== "string") return void 0;
  const match = /^refs\/pull\/(\d+)\/(?:merge|head)$/.exec(ref);
  return match ? Number(match[1]) : void 0;
}

// server/github/publisher.ts
function publicationOf(approval) {
  const c = approval.context;
  const num = (v) => typeof v === "number" && Number.isSafeInteger(v) ? v : void 0;
  const pullRequest = num(c.pr_number) ?? pullRequestFromRef(c.ref);
  return {
    ...num(c.installation_id) !== void 0 ? { installationId: num(c.installation_id) } : {},
    ...num(c.check_run_id) !== void 0 ? { checkRunId: num(c.check_run_id) } : {},
    ...num(c.pr_comment_id) !== void 0 ? { commentId: num(c.pr_comment_id) } : {},
    ...pullRequest !== void 0 ? { pullRequest } : {}
  };
}
var ApprovalPublisher = class {
  constructor(ctx, client) {
    this.ctx = ctx;
    this.client = client;
  }
  ctx;
  client;
  /** Creates the check run and the PR comment for a new request. */
  async publish(approval) {
    const where = publicationOf(approval);
    const octokit = await this.client.forRepository(approval.repository, where.installationId);
    const repo = splitRepository(approval.repository);
    const sha = approval.context.sha;
    const patch = {};
    const failures = [];
    if (typeof sha === "string" && /^[0-9a-f]{40}$/.test(sha)) {
      try {
        const { data } = await octokit.request("POST /repos/{owner}/{repo}/check-runs", {
          ...repo,
          name: checkRunName(approval),
          head_sha: sha,
          external_id: approval.id,
          ...this.#checkRunState(approval)
        });
        patch.check_run_id = data.id;
      } catch (error) {
        failures.push(`check run: ${message(error)}`);
      }
    }
    if (where.pullRequest !== void 0) {
      try {
        const { data } = await octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
          ...repo,
          issue_number: where.pullRequest,
          body: pullRequestComment(approval)
        });
        patch.pr_comment_id = data.id;
        patch.pr_number = where.pullRequest;
      } catch (error) {
        failures.push(`pull request comment: ${message(error)}`);
      }
    }
    if (Object.keys(patch).length > 0) await updateApprovalContext(this.ctx, approval.id, patch);
    if (failures.length > 0)
      this.ctx.log(`approval ${approval.id}: could not publish on GitHub (${failures.join("; ")})`);
    const now = await getApproval(this.ctx, approval.id);
    if (now.status !== "pending" || now.votes.length > 0) await this.refresh(now);
  }
  /** Brings the check run and the comment up to date with the approval's state. */
  async refresh(approval) {
    const where = publicationOf(approval);
    if (where.checkRunId === void 0 && where.commentId === void 0) return;
    const octokit = await this.client.forRepository(approval.repository, where.installationId);
    const repo = splitRepository(approval.repository);
    const updates = [];
    if (where.checkRunId !== void 0)
      updates.push(
        octokit.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", {
          ...repo,
          check_run_id: where.checkRunId,
          ...this.#checkRunState(approval)
        })
      );
    if (where.commentId !== void 0)
      updates.push(
        octokit.request("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", {
          ...repo,
          comment_id: where.commentId,
          body: pullRequestComment(approval)
        })
      );
    await Promise.all(updates);
  }
  #checkRunState(approval) {
    const pending = approval.status === "pending";
    return {
      status: "completed",
      conclusion: checkConclusion(approval),
      completed_at: (approval.decidedAt ? new Date(approval.decidedAt) : this.ctx.now()).toISOString(),
      output: checkRunOutput(approval),
      actions: pending ? [
        {
          label: "Approve",
          description: `Approve guard request ${approval.id}`,
          identifier: `approve:${approval.id}`
        },
        {
          label: "Deny",
          description: `Deny guard request ${approval.id}`,
          identifier: `deny:${approval.id}`
        }
      ] : []
    };
  }
};
function message(error) {
  return error instanceof Error ? error.message : String(error);
}

// server/github/github-rules.ts
var PERMISSION_ORDER = ["read", "triage", "write", "maintain", "admin"];
function rulesFromPolicyApprovals(approvals) {
  const a = typeof approvals === "object" && approvals !== null ? approvals : {};
  const min = a.minPermission;
  return {
    ...typeof min === "string" && PERMISSION_ORDER.includes(min) ? { minPermission: min } : {},
    pullRequestReviewCounts: a.pullRequestReviewCounts === true
  };
}
async function rulesFor(ctx, approval) {
  if (approval.context.github_rules !== void 0)
    return rulesFromPolicyApprovals(approval.context.github_rules);
  if (!approval.sessionId) return { pullRequestReviewCounts: false };
  const { rows } = await ctx.db.query(
    "select policy from sessions where id = $1",
    [approval.sessionId]
  );
  return rulesFromPolicyApprovals(rows[0]?.policy.approvals);
}
function permissionAtLeast(role, minimum) {
  const have = PERMISSION_ORDER.indexOf(role);
  return have >= 0 && have >= PERMISSION_ORDER.indexOf(minimum);
}

// server/github/votes.ts
async function castVote(deps, vote) {
  const { ctx } = deps;
  let approval;
  try {
    approval = await getApproval(ctx, vote.approvalId);
  } catch (error) {
    if (!(error instanceof GuardError && error.code === "NOT_FOUND")) throw error;
  }
  if (!approval || approval.repository.toLowerCase() !== vote.repository.toLowerCase())
    return refuse(
      deps,
      vote,
      void 0,
      "NOT_FOUND",
      `there is no approval ${vote.approvalId} in ${vote.repository}`
    );
  const rules = await rulesFor(ctx, approval);
  if (rules.minPermission) {
    let role;
    try {
      role = await deps.directory.permissionOf(approval.repository, vote.login);
    } catch (error) {
      ctx.log(`approval ${approval.id}: permission lookup for ${vote.login} failed: ${describeError(error)}`);
      return refuse(
        deps,
        vote,
        approval,
        "FORBIDDEN",
        `GitHub did not confirm ${vote.login}'s permission on ${approval.repository}; try again`
      );
    }
    if (!permissionAtLeast(role, rules.minPermission))
      return refuse(
        deps,
        vote,
        approval,
        "FORBIDDEN",
        `policy requires at least ${rules.minPermission} permission on ${approval.repository}; ${vote.login} has ${role}`
      );
  }
  let decided;
  try {
    decided = await decideApproval(
      ctx,
      approval.id,
      { login: vote.login },
      { decision: vote.decision, comment: vote.comment, channel: vote.channel }
    );
  } catch (error) {
    if (error instanceof GuardError)
      return refuse(deps, vote, approval, error.code, error.message.replace(/^guard:\s*/, ""));
    ctx.log(`approval ${approval.id}: vote by ${vote.login} failed: ${describeError(error)}`);
    return refuse(
      deps,
      vote,
      approval,
      "INTERNAL",
      "guard could not check this vote with GitHub; nothing was counted, try again"
    );
  }
  await recordEvent(ctx.db, approval.sessionId, "github.decision", {
    approval: approval.id,
    step: approval.stepId,
    title: approval.title,
    digest: approval.digest,
    reviewer: vote.login.toLowerCase(),
    decision: vote.decision,
    channel: vote.channel,
    comment: vote.comment ?? null,
    at: ctx.now().toISOString(),
    source: vote.source,
    status_after: decided.status
  });
  if (decided.status === "pending") await deps.publisher.refresh(decided);
  return { counted: true, approval: decided };
}
async function refuse(deps, vote, approval, code2, why) {
  await recordEvent(deps.ctx.db, approval?.sessionId ?? null, "approval.refused", {
    approval: vote.approvalId,
    reviewer: vote.login.toLowerCase(),
    decision: vote.decision,
    channel: vote.channel,
    code: code2,
    why,
    source: vote.source
  });
  deps.ctx.log(
    `approval ${vote.approvalId}: ${vote.channel} ${vote.decision} by ${vote.login} not counted (${code2})`
  );
  if (vote.replyOn !== void 0) {
    await reply(
      deps,
      vote.repository,
      vote.replyOn,
      replyNotCounted(vote.login, vote.approvalId, why),
      vote.installationId
    );
  }
  return { counted: false, why };
}
async function reply(deps, repository, issue, body, installationId) {
  try {
    const octokit = await deps.client.forRepository(repository, installationId);
    await octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
      ...splitRepository(repository),
      issue_number: issue,
      body
    });
  } catch (error) {
    deps.ctx.log(`could not reply on ${repository}#${issue}: ${describeError(error)}`);
  }
}

// server/github/check-run-actions.ts
async function onCheckRunAction(deps, event) {
  const { payload } = event;
  const action = parseActionIdentifier(payload.requested_action?.identifier ?? "");
  if (!action) return "ignored: not a guard action";
  if (payload.check_run.app?.id !== deps.appId) return "ignored: check run of another app";
  const repository = payload.repository.full_name;
  const installationId = payload.installation?.id;
  if (installationId !== void 0) deps.client.remember(repository, installationId);
  let approval;
  try {
    approval = await getApproval(deps.ctx, action.id);
  } catch (error) {
    if (!(error instanceof GuardError && error.code === "NOT_FOUND")) throw error;
  }
  const where = approval ? publicationOf(approval) : {};
  const vote = {
    approvalId: action.id,
    login: payload.sender.login,
    decision: action.decision,
    comment: action.decision === "deny" ? "denied with the check run button" : "",
    channel: "check-run",
    repository,
    source: {
      delivery: event.id,
      check_run_id: payload.check_run.id,
      check_run_url: payload.check_run.html_url
    },
    // A check run has no thread; an answer goes to the pull request guard commented on, if any.
    ...where.pullRequest !== void 0 ? { replyOn: where.pullRequest } : {},
    ...installationId !== void 0 ? { installationId } : {}
  };
  if (approval && where.checkRunId !== payload.check_run.id) {
    const why = `check run ${payload.check_run.id} is not the one guard created for approval ${action.id}`;
    await refuse(deps, vote, approval, "NOT_FOUND", why);
    return `not counted: ${why}`;
  }
  const outcome2 = await castVote(deps, vote);
  return outcome2.counted ? `counted: ${action.decision} ${action.id} by ${vote.login}` : `not counted: ${outcome2.why}`;
}

// server/github/comment-commands.ts
async function onCommentCreated(deps, event) {
  const { payload } = event;
  const author = payload.comment.user;
  if (payload.sender.type === "Bot" || author?.type === "Bot" || payload.comment.performed_via_github_app?.id === deps.appId)
    return "ignored: comment by a bot";
  const command = parseCommentCommand(payload.comment.body);
  if (command.type === "none") return "ignored: not a guard command";
  const repository = payload.repository.full_name;
  const installationId = payload.installation?.id;
  if (installationId !== void 0) deps.client.remember(repository, installationId);
  const login = author?.login ?? payload.sender.login;
  if (command.type === "invalid") {
    await reply(
      deps,
      repository,
      payload.issue.number,
      replyUnknownCommand(login, command.problem, COMMAND_HELP),
      installationId
    );
    return `answered: ${command.problem}`;
  }
  const outcome2 = await castVote(deps, {
    approvalId: command.id,
    login,
    decision: command.type,
    comment: command.type === "approve" ? command.comment : command.reason,
    channel: "pr-comment",
    repository,
    source: {
      delivery: event.id,
      comment_id: payload.comment.id,
      comment_url: payload.comment.html_url,
      issue: payload.issue.number
    },
    replyOn: payload.issue.number,
    ...installationId !== void 0 ? { installationId } : {}
  });
  return outcome2.counted ? `counted: ${command.type} ${command.id} by ${login}` : `not counted: ${outcome2.why}`;
}
async function onCommentChanged(ctx, event) {
  const command = parseCommentCommand(event.payload.comment.body);
  if (command.type !== "approve" && command.type !== "deny")
    return `ignored: comment ${event.payload.action}`;
  await recordEvent(ctx.db, null, "github.comment_ignored", {
    delivery: event.id,
    action: event.payload.action,
    approval: command.id,
    reviewer: event.payload.sender.login.toLowerCase(),
    comment_url: event.payload.comment.html_url
  });
  return `ignored: a ${event.payload.action} comment never decides (approval ${command.id})`;
}

// server/github/reviews.ts
async function onReviewSubmitted(deps, event) {
  const { payload } = event;
  if (payload.review.state.toLowerCase() !== "approved") return `ignored: review ${payload.review.state}`;
  const repository = payload.repository.full_name;
  const number = payload.pull_request.number;
  const installationId = payload.installation?.id;
  if (installationId !== void 0) deps.client.remember(repository, installationId);
  const { rows } = await deps.ctx.db.query(
    `select id from approvals
      where status = 'pending' and lower(repository) = lower($1)
        and (context->>'pr_number' = $2 or context->>'ref' in ($3, $4))
      order by created_at`,
    [repository, String(number), `refs/pull/${number}/merge`, `refs/pull/${number}/head`]
  );
  if (rows.length === 0) return "ignored: no pending guard approval on this pull request";
  const login = payload.review.user?.login ?? payload.sender.login;
  const results = [];
  const notCounted = [];
  let why = "";
  for (const { id } of rows) {
    const approval = await getApproval(deps.ctx, id);
    if (approval.status !== "pending") continue;
    if (!(await rulesFor(deps.ctx, approval)).pullRequestReviewCounts) {
      notCounted.push(id);
      why ||= "policy does not count an approving pull request review as a guard approval";
      continue;
    }
    if (payload.review.commit_id !== payload.pull_request.head.sha) {
      notCounted.push(id);
      why ||= "the review is not on the pull request's current head commit";
      continue;
    }
    const outcome2 = await castVote(deps, {
      approvalId: id,
      login,
      decision: "approve",
      comment: payload.review.body ?? "",
      channel: "pr-review",
      repository,
      source: {
        delivery: event.id,
        review_id: payload.review.id,
        review_url: payload.review.html_url,
        commit: payload.review.commit_id
      },
      replyOn: number,
      ...installationId !== void 0 ? { installationId } : {}
    });
    results.push(`${id}: ${outcome2.counted ? "counted" : outcome2.why}`);
  }
  if (notCounted.length > 0) {
    await reply(
      deps,
      repository,
      number,
      replyNotCounted(
        login,
        "",
        `${why}; approve with ${notCounted.map((id) => `\`/guard approve ${id}\``).join(", ")}`
      ),
      installationId
    );
    results.push(`not counted for ${notCounted.join(", ")}`);
  }
  return results.join("; ");
}

// server/github/dispatcher.ts
function createDispatcher(deps, secret) {
  const webhooks = new Webhooks({ secret });
  const outcomes = /* @__PURE__ */ new Map();
  const note = (id, outcome2) => outcomes.set(id, outcome2);
  webhooks.on("issue_comment.created", async (event) => note(event.id, await onCommentCreated(deps, event)));
  webhooks.on(
    ["issue_comment.edited", "issue_comment.deleted"],
    async (event) => note(event.id, await onCommentChanged(deps.ctx, event))
  );
  webhooks.on(
    "check_run.requested_action",
    async (event) => note(event.id, await onCheckRunAction(deps, event))
  );
  webhooks.on(
    "pull_request_review.submitted",
    async (event) => note(event.id, await onReviewSubmitted(deps, event))
  );
  webhooks.on(
    "deployment_protection_rule.requested",
    async (event) => note(event.id, await onProtectionRuleRequested(deps, event))
  );
  return async (event) => {
    try {
      await webhooks.receive(event);
      return outcomes.get(event.id) ?? `ignored: ${event.name}.${event.payload.action ?? ""}`;
    } catch (error) {
      const first = error.errors?.[0];
      throw first instanceof Error ? first : error;
    } finally {
      outcomes.delete(event.id);
    }
  };
}

// server/github/reviewer-directory.ts
var TTL_MS = 6e4;
var GitHubReviewerDirectory = class {
  constructor(client, now = Date.now) {
    this.client = client;
    this.now = now;
  }
  client;
  now;
  #cache = /* @__PURE__ */ new Map();
  async isTeamMember(org, team, login) {
    return this.#cached(`team:${org}/${team}:${login}`.toLowerCase(), async () => {
      const octokit = await this.client.forOrganization(org);
      try {
        const { data } = await octokit.request("GET /orgs/{org}/teams/{team_slug}/memberships/{username}", {
          org,
          team_slug: team,
          username: login
        });
        return data.state === "active";
      } catch (error) {
        if (error.status === 404) return false;
        throw error;
      }
    });
  }
  /** The reviewer's role on the repository: read, triage, write, maintain, admin or none. */
  async permissionOf(repository, login) {
    return this.#cached(`perm:${repository}:${login}`.toLowerCase(), async () => {
      const octokit = await this.client.forRepository(repository);
      const { data } = await octokit.request(
        "GET /repos/{owner}/{repo}/collaborators/{username}/permission",
        {
          ...splitRepository(repository),
          username: login
        }
      );
      return data.role_name ?? data.permission;
    });
  }
  async hasPermission(repository, login, minimum) {
    return permissionAtLeast(await this.permissionOf(repository, login), minimum);
  }
  #cached(key, load) {
    const hit = this.#cache.get(key);
    if (hit && this.now() - hit.at < TTL_MS) return hit.value;
    const value = load();
    value.catch(() => this.#cache.delete(key));
    this.#cache.set(key, { at: this.now(), value });
    return value;
  }
};

// server/github/webhook-route.ts
var HANDLED_EVENTS = [
  "issue_comment",
  "check_run",
  "pull_request_review",
  "deployment_protection_rule"
];
function webhookHandler(options) {
  const { ctx, background, dispatch } = options;
  const verifiers = options.secrets.map((secret) => new Webhooks({ secret }));
  return async (request) => {
    const event = header(request, "x-github-event");
    const delivery = header(request, "x-github-delivery");
    const signature = header(request, "x-hub-signature-256");
    if (!event || !delivery || !/^[0-9A-Za-z-]{1,64}$/.test(delivery))
      return failure(400, "BAD_INPUT", "guard: a webhook needs X-GitHub-Event and X-GitHub-Delivery headers");
    const raw = rawBodyOf(request);
    const matched = signature ? await whichSecret(verifiers, raw, signature) : -1;
    if (matched < 0) {
      await recordEvent(ctx.db, null, "security.refused", {
        stage: "webhook",
        code: "WEBHOOK_SIGNATURE_INVALID",
        event,
        delivery
      });
      ctx.log(`webhook ${delivery} (${event}) refused: signature does not verify`);
      return failure(
        401,
        "WEBHOOK_SIGNATURE_INVALID",
        "guard: the webhook signature (X-Hub-Signature-256) does not match any configured secret"
      );
    }
    if (matched > 0)
      ctx.log(
        `webhook ${delivery} verified with an older secret (#${matched + 1}); finish the secret rotation`
      );
    const payload = request.body;
    const action = typeof payload?.action === "string" ? payload.action : void 0;
    if (event === "ping") return { status: 200, body: { ok: true, pong: true } };
    if (!await acceptDelivery(ctx.db, { id: delivery, event, action, rawBody: raw })) {
      await recordEvent(ctx.db, null, "security.refused", {
        stage: "webhook",
        code: "DELIVERY_REPLAYED",
        event,
        delivery
      });
      return { status: 200, body: { ok: true, duplicate: true } };
    }
    if (!HANDLED_EVENTS.includes(event)) {
      await finishDelivery(ctx.db, delivery, "ignored: event not handled");
      return { status: 202, body: { ok: true, ignored: true } };
    }
    background.run(`webhook ${delivery} (${event}.${action ?? ""})`, async () => {
      let outcome2;
      try {
        outcome2 = await dispatch({ id: delivery, name: event, payload });
      } catch (error) {
        outcome2 = `failed: ${error instanceof Error ? error.message : String(error)}`;
        await finishDelivery(ctx.db, delivery, outcome2);
        throw error;
      }
      await finishDelivery(ctx.db, delivery, outcome2);
    });
    return { status: 202, body: { ok: true, accepted: delivery } };
  };
}
async function whichSecret(verifiers, raw, signature) {
  for (const [index, verifier] of verifiers.entries()) {
    if (await verifier.verify(raw, signature).catch(() => false)) return index;
  }
  return -1;
}
function rawBodyOf(request) {
  const raw = request.rawBody;
  if (raw !== void 0) return typeof raw === "string" ? raw : raw.toString("utf8");
  return request.body === void 0 ? "" : JSON.stringify(request.body);
}
function header(request, name) {
  const value = request.headers[name];
  return typeof value === "string" && value ? value : void 0;
}
function failure(status, code2, message2) {
  return { status, body: { error: { code: code2, message: message2 } } };
}

// server/github/extension.ts
var WEBHOOK_PATH = "/v1/github/webhooks";
var DELIVERY_RETENTION_MS = 30 * 24 * 36e5;
function createGitHubExtension(options = {}) {
  const installed = [];
  return {
    name: "github-app",
    async install(ctx, router, env) {
      const config = readGitHubAppConfig(env);
      if (!config) {
        ctx.log("GitHub App not configured (GUARD_GITHUB_APP_ID unset); approvals are not shown on GitHub");
        return void 0;
      }
      const client = new GitHubClient(config, { throttle: options.throttle ?? true });
      const directory = new GitHubReviewerDirectory(client);
      ctx.reviewerDirectory = directory;
      const publisher = new ApprovalPublisher(ctx, client);
      const background = new BackgroundWork((line) => ctx.log(`github: ${line}`));
      const deps = { ctx, client, directory, publisher, appId: config.appId };
      ctx.approvalEvents.on("requested", ({ approval }) => {
        background.run(`publishing approval ${approval.id}`, () => publisher.publish(approval));
      });
      ctx.approvalEvents.on("decided", ({ approval }) => {
        background.run(`answering decided approval ${approval.id}`, async () => {
          await Promise.all([
            publisher.refresh(await getApproval(ctx, approval.id)),
            answerDecidedDeployment(deps, approval)
          ]);
        });
      });
      router.add(
        "POST",
        WEBHOOK_PATH,
        webhookHandler({
          ctx,
          secrets: config.webhookSecrets,
          background,
          dispatch: createDispatcher(deps, config.webhookSecrets[0] ?? "")
        })
      );
      const sweep = async () => {
        const { rows } = await ctx.db.query(
          `select id from approvals where status = 'pending' and expires_at <= $1 order by expires_at`,
          [ctx.now()]
        );
        for (const { id } of rows) await getApproval(ctx, id);
        await pruneDeliveries(ctx.db, new Date(ctx.now().getTime() - DELIVERY_RETENTION_MS));
        return rows.length;
      };
      const entry = { background, sweep };
      installed.push(entry);
      const timer = setInterval(() => {
        background.run("expiry sweep", async () => void await sweep());
      }, options.sweepIntervalMs ?? 3e4);
      timer.unref();
      ctx.log(`GitHub App ${config.appId} enabled (API ${config.apiUrl}; webhooks at ${WEBHOOK_PATH})`);
      return async () => {
        clearInterval(timer);
        await background.settled();
        installed.splice(installed.indexOf(entry), 1);
      };
    },
    async settled() {
      for (const { background } of [...installed]) await background.settled();
    },
    async sweepExpired() {
      let expired = 0;
      for (const { sweep } of [...installed]) expired += await sweep();
      await this.settled();
      return expired;
    }
  };
}
var githubExtension = createGitHubExtension();

// server/runner/report-input.ts
var DIGITS = /^[0-9]{1,20}$/;
var SESSION_ID = /^[0-9a-f]{16}$/;
var SHA256 = /^[0-9a-f]{64}$/;
var JOB_ID = /^[A-Za-z0-9_.-]{1,100}$/;
var TEXT_FIELDS = [
  "repository",
  "repositoryOwner",
  "ref",
  "refType",
  "sha",
  "workflow",
  "workflowRef",
  "eventName",
  "actor",
  "triggeringActor"
];
var ID_FIELDS = ["repositoryId", "repositoryOwnerId", "runId", "runAttempt"];
var OPTIONAL_TEXT = [
  "runNumber",
  "refProtected",
  "workflowSha",
  "actorId",
  "headRef",
  "baseRef",
  "runnerName",
  "environment"
];
function parseJobReport(input) {
  const raw = record(input, "report");
  const out = {};
  for (const field2 of TEXT_FIELDS) out[field2] = text(raw[field2], field2, true);
  for (const field2 of ID_FIELDS) {
    const value = text(raw[field2], field2, true);
    if (!DIGITS.test(value ?? "")) throw bad(`${field2} must be a number`);
    out[field2] = value;
  }
  const job = text(raw.job, "job", true) ?? "";
  if (!JOB_ID.test(job)) throw bad("job (GITHUB_JOB) is malformed");
  out.job = job;
  if (!/^[^/\s]+\/[^/\s]+$/.test(String(out.repository))) throw bad("repository must be owner/name");
  for (const field2 of OPTIONAL_TEXT) {
    const value = text(raw[field2], field2, false);
    if (value !== void 0) out[field2] = value;
  }
  if (raw.pullRequestFromFork !== void 0) {
    if (typeof raw.pullRequestFromFork !== "boolean") throw bad("pullRequestFromFork must be true or false");
    out.pullRequestFromFork = raw.pullRequestFromFork;
  }
  if (raw.pullRequestNumber !== void 0) {
    if (!Number.isInteger(raw.pullRequestNumber)) throw bad("pullRequestNumber must be an integer");
    out.pullRequestNumber = raw.pullRequestNumber;
  }
  return out;
}
function parseLocalSessions(input) {
  if (input === void 0) return [];
  if (!Array.isArray(input) || input.length > 50) throw bad("sessions must be a list (at most 50)");
  return input.map((item) => {
    const raw = record(item, "session");
    if (typeof raw.id !== "string" || !SESSION_ID.test(raw.id)) throw bad("a session id is malformed");
    const files = raw.files === void 0 ? [] : raw.files;
    if (!Array.isArray(files) || files.length > 1e4) throw bad("session files must be a list");
    return {
      id: raw.id,
      files: files.map((file) => {
        const f = record(file, "file");
        return { path: recordingPath(f.path), size: recordingSize(f.size), sha256: sha256(f.sha256) };
      })
    };
  });
}
function parseRecordingChunk(input) {
  const raw = record(input, "chunk");
  if (typeof raw.job !== "string" || !/^[0-9a-f]{16}$/.test(raw.job)) throw bad("job is malformed");
  if (typeof raw.session !== "string" || !SESSION_ID.test(raw.session)) throw bad("session is malformed");
  const offset = raw.offset;
  if (typeof offset !== "number" || !Number.isSafeInteger(offset) || offset < 0)
    throw bad("offset must be a non-negative integer");
  if (typeof raw.data !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(raw.data))
    throw bad("data must be base64");
  return {
    job: raw.job,
    session: raw.session,
    path: recordingPath(raw.path),
    size: recordingSize(raw.size),
    sha256: sha256(raw.sha256),
    offset,
    data: raw.data
  };
}
function recordingPath(value) {
  if (typeof value !== "string" || !RECORDING_PATH.test(value))
    throw bad("a recording path must be events.jsonl or steps/<n>.cast");
  return value;
}
function recordingSize(value) {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0 || value > MAX_RECORDING_BYTES)
    throw bad(`a recording size must be 0-${MAX_RECORDING_BYTES} bytes`);
  return value;
}
function sha256(value) {
  if (typeof value !== "string" || !SHA256.test(value)) throw bad("sha256 must be 64 hex characters");
  return value;
}
function record(value, what) {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw bad(`${what} must be an object`);
  return value;
}
function text(value, field2, required) {
  if (value === void 0 || value === "") {
    if (required) throw bad(`${field2} is missing`);
    return void 0;
  }
  if (typeof value !== "string" || value.length > 500 || /[\0\r\n]/.test(value))
    throw bad(`${field2} must be a single line of at most 500 characters`);
  return value;
}
function bad(what) {
  return new GuardError("BAD_INPUT", `guard: the runner hook sent a malformed job report: ${what}`);
}

// server/runner/job-claims.ts
function claimsFromReport(report, runner) {
  const claims = {
    // Not an OIDC token: the issuer names the runner whose credential vouched for the report.
    iss: `guard-runner:${runner.name}`,
    aud: "guard",
    sub: `repo:${report.repository}:ref:${report.ref}`,
    repository: report.repository,
    repository_id: report.repositoryId,
    repository_owner: report.repositoryOwner,
    repository_owner_id: report.repositoryOwnerId,
    run_id: report.runId,
    run_attempt: report.runAttempt,
    ref: report.ref,
    ref_type: report.refType,
    sha: report.sha,
    actor: report.actor,
    triggering_actor: report.triggeringActor,
    workflow: report.workflow,
    workflow_ref: report.workflowRef,
    event_name: report.eventName,
    runner_environment: "self-hosted"
  };
  const optional = [
    ["run_number", report.runNumber],
    ["ref_protected", report.refProtected],
    ["workflow_sha", report.workflowSha],
    ["actor_id", report.actorId],
    ["head_ref", report.headRef],
    ["base_ref", report.baseRef],
    ["environment", report.environment]
  ];
  for (const [claim, value] of optional) if (value) claims[claim] = value;
  return claims;
}
function contextFromReport(report) {
  return report.pullRequestFromFork === void 0 ? {} : { pullRequestFromFork: report.pullRequestFromFork };
}

// server/runner/runner-policy.ts
function decideRunnerJob(set, claims, context, runner) {
  const who = `runner ${runner.name}`;
  const resolution = resolvePolicy(set, claims, context);
  if (!resolution.ok)
    return { action: "refuse", reason: `${who} may not run this job: ${resolution.reason}`, policy: null };
  const policy = resolution.policy;
  const g = checkRunnerGates(policy, runner, claims);
  if (!g.ok)
    return { action: "refuse", reason: `${who} may not run this job: ${g.reason}`, policy: policy.name };
  const requireGuard = policy.runners.requireGuard;
  if (policy.runners.jobApproval)
    return {
      action: "require-approval",
      reason: `policy ${askingForApproval(set, policy).join(", ")} requires approval before a job starts on a self-hosted runner`,
      policy,
      requireGuard
    };
  return { action: "allow", reason: `allowed by policy ${policy.name}`, policy, requireGuard };
}
function askingForApproval(set, policy) {
  const governing = new Set(policy.name.split(" + "));
  const asking = set.policies.filter((p) => governing.has(p.name) && p.runners?.jobApproval === true).map((p) => p.name);
  return asking.length > 0 ? asking : [policy.name];
}

// server/runner/runner-jobs.ts
var OPEN_STATUSES = ["running", "waiting"];
async function reportJobStarted(ctx, runner, input) {
  const report = parseJobReport(input?.report);
  const existing = await latestRunnerJob(ctx.db, runner, report);
  if (existing && (OPEN_STATUSES.includes(existing.status) || existing.status === "refused")) {
    if (existing.status === "refused") throw new GuardError("POLICY_DENIED", existing.reason);
    return respond(ctx, runner, existing);
  }
  await ctx.db.query(
    `update runner_jobs set status = 'abandoned', completed_at = now() where runner_id = $1 and status = any($2)`,
    [runner.id, OPEN_STATUSES]
  );
  const claims = claimsFromReport(report, runner);
  const verdict = decideRunnerJob(ctx.policies, claims, contextFromReport(report), runner);
  const id = newId();
  const key = [
    id,
    runner.id,
    report.repository,
    report.repositoryId,
    report.runId,
    report.runAttempt,
    report.job
  ];
  const insert = (tx, fields) => tx.query(
    `insert into runner_jobs (id, runner_id, repository, repository_id, run_id, run_attempt, job, report, decision, reason, policy, require_guard, approval_id, status)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
    [
      ...key,
      JSON.stringify(report),
      fields.decision,
      fields.reason,
      fields.policy,
      fields.requireGuard,
      fields.approvalId,
      fields.status
    ]
  );
  const who = {
    runner: runner.name,
    repository: report.repository,
    run_id: report.runId,
    run_attempt: report.runAttempt,
    job: report.job,
    ref: report.ref,
    workflow_ref: report.workflowRef,
    event_name: report.eventName,
    actor: report.actor
  };
  if (verdict.action === "refuse") {
    await ctx.db.transaction(async (tx) => {
      await insert(tx, {
        decision: "refuse",
        reason: verdict.reason,
        policy: verdict.policy,
        requireGuard: false,
        approvalId: null,
        status: "refused"
      });
      await recordEvent(tx, null, "security.refused", {
        stage: "runner-job",
        code: "POLICY_DENIED",
        job_id: id,
        reason: verdict.reason,
        ...who
      });
    });
    ctx.log(
      `refused (runner-job): ${runner.name} ${report.repository} run ${report.runId} job ${report.job}`
    );
    throw new GuardError("POLICY_DENIED", verdict.reason);
  }
  const approvalId = await ctx.db.transaction(async (tx) => {
    const approval = verdict.action === "require-approval" ? await createApproval(tx, ctx, {
      kind: "job",
      repository: report.repository,
      runId: report.runId,
      runAttempt: report.runAttempt,
      actor: report.actor,
      triggeringActor: report.triggeringActor,
      title: `job ${report.job} on runner ${runner.name}`,
      body: describeJob(report, runner),
      digest: jobDigest(report, runner),
      context: {
        job: report.job,
        sha: report.sha,
        ref: report.ref,
        workflow: report.workflow,
        workflow_ref: report.workflowRef,
        runner: runner.name,
        reason: verdict.reason,
        ...report.pullRequestNumber === void 0 ? {} : { pull_request: report.pullRequestNumber }
      },
      rules: verdict.policy.approvals
    }) : null;
    await insert(tx, {
      decision: verdict.action,
      reason: verdict.reason,
      policy: verdict.policy.name,
      requireGuard: verdict.requireGuard,
      approvalId: approval,
      status: approval ? "waiting" : "running"
    });
    await recordEvent(tx, null, "runner.job.started", {
      job_id: id,
      decision: verdict.action,
      policy: verdict.policy.name,
      require_guard: verdict.requireGuard,
      approval,
      ...who
    });
    return approval;
  });
  if (approvalId) await announceRequested(ctx, approvalId);
  const row = await loadRunnerJob(ctx.db, runner, id);
  return respond(ctx, runner, row);
}
async function waitRunnerApproval(ctx, runner, approvalId, timeoutMs, signal) {
  const { rows } = await ctx.db.query(
    "select * from runner_jobs where approval_id = $1 and runner_id = $2",
    [approvalId, runner.id]
  );
  const row = rows[0];
  if (!row)
    throw new GuardError("NOT_FOUND", `guard: approval ${approvalId} is not for a job of this runner`);
  const state = await waitForApproval(ctx, approvalId, timeoutMs, signal);
  await settleWaitingJob(ctx, row, state);
  return approvalView(state);
}
async function settleWaitingJob(ctx, row, state) {
  if (state.status === "pending") return;
  const status = state.status === "approved" ? "running" : "refused";
  const reason = state.status === "approved" ? row.reason : `approval ${state.id} ${state.status}: ${state.reason ?? ""}`.trim();
  const updated = await ctx.db.query(
    `update runner_jobs set status = $2, reason = $3 where id = $1 and status = 'waiting'`,
    [row.id, status, reason]
  );
  if (updated.rowCount > 0 && status === "refused")
    await recordEvent(ctx.db, null, "security.refused", {
      stage: "runner-job-approval",
      code: state.status === "expired" ? "APPROVAL_EXPIRED" : "APPROVAL_DENIED",
      job_id: row.id,
      approval: state.id,
      repository: row.repository,
      run_id: row.run_id,
      job: row.job
    });
}
async function respond(ctx, runner, row) {
  const approval = row.approval_id ? await getApproval(ctx, row.approval_id) : null;
  if (approval) await settleWaitingJob(ctx, row, approval);
  return {
    job: { id: row.id, runner: runner.name },
    decision: row.decision === "require-approval" ? "require-approval" : "allow",
    reason: row.reason,
    policy: row.policy ?? "",
    requireGuard: row.require_guard,
    approval: approval ? approvalView(approval) : null
  };
}
function approvalView(state) {
  return {
    id: state.id,
    status: state.status,
    required: state.required,
    reviewers: state.reviewers,
    expiresAt: state.expiresAt,
    reason: state.reason,
    votes: state.votes.map(({ reviewer, decision, channel, comment }) => ({
      reviewer,
      decision,
      channel,
      comment
    }))
  };
}
async function latestRunnerJob(db, runner, report) {
  const { rows } = await db.query(
    `select * from runner_jobs where runner_id = $1 and repository_id = $2 and run_id = $3 and run_attempt = $4 and job = $5
     order by created_at desc, id limit 1`,
    [runner.id, report.repositoryId, report.runId, report.runAttempt, report.job]
  );
  return rows[0];
}
async function loadRunnerJob(db, runner, id) {
  const { rows } = await db.query(
    "select * from runner_jobs where id = $1 and runner_id = $2",
    [id, runner.id]
  );
  const row = rows[0];
  if (!row) throw new GuardError("NOT_FOUND", `guard: job ${id} was not reported by this runner`);
  return row;
}
function describeJob(report, runner) {
  return [
    `job ${report.job} of ${report.repository}, run ${report.runId} attempt ${report.runAttempt}`,
    `workflow: ${report.workflowRef}`,
    `ref: ${report.ref} (sha ${report.sha})`,
    `event: ${report.eventName}, actor: ${report.actor}${report.triggeringActor !== report.actor ? `, triggered by ${report.triggeringActor}` : ""}`,
    `runner: ${runner.name}${runner.labels.length > 0 ? ` (labels: ${runner.labels.join(", ")})` : ""}`
  ].join("\n");
}
function jobDigest(report, runner) {
  return sha256Hex(
    JSON.stringify([
      report.repositoryId,
      report.runId,
      report.runAttempt,
      report.job,
      report.sha,
      report.workflowRef,
      runner.name
    ])
  );
}

// server/runner/job-completion.ts
async function reportJobCompleted(ctx, runner, input) {
  const body = typeof input === "object" && input !== null ? input : {};
  const report = parseJobReport(body.report);
  const local = parseLocalSessions(body.sessions);
  const row = await latestRunnerJob(ctx.db, runner, report);
  if (!row)
    throw new GuardError(
      "NOT_FOUND",
      `guard: runner ${runner.name} never reported job ${report.job} of run ${report.runId}/${report.runAttempt} as started; is the job-started hook installed on this runner?`
    );
  const first = row.status !== "completed" && row.outcome === null;
  const sessions = await sessionsOfJob(ctx.db, row, local);
  const closedSessions = [];
  await ctx.db.transaction(async (tx) => {
    for (const session of sessions.filter((s) => s.status === "open")) {
      const closed = await tx.query(
        `update sessions set status = 'closed', closed_at = now() where id = $1 and status = 'open'`,
        [session.id]
      );
      if (closed.rowCount === 0) continue;
      await tx.query(
        `update approvals set status = 'expired', decided_at = now(), reason = 'session closed' where session_id = $1 and status = 'pending'`,
        [session.id]
      );
      await recordEvent(tx, session.id, "session.closed", {
        manifest_sha256: null,
        closed_by: "runner-hook",
        runner: runner.name,
        reason: "the job ended without the action's post step closing the session (cancelled or failed)"
      });
      closedSessions.push(session.id);
    }
    if (row.approval_id)
      await tx.query(
        `update approvals set status = 'expired', decided_at = now(), reason = 'the job completed before a decision' where id = $1 and status = 'pending'`,
        [row.approval_id]
      );
  });
  if (row.approval_id) await ctx.waiters.announce(row.approval_id);
  const requireGuard = await requireGuardVerdict(ctx.db, row, sessions);
  const wanted = await wantedFiles(ctx.db, sessions, local);
  const outcome2 = {
    sessions: sessions.map((s) => s.id),
    closed_sessions: closedSessions,
    closed_by_post: sessions.filter((s) => s.manifest_sha256 !== null).map((s) => s.id),
    require_guard: requireGuard,
    recordings_wanted: wanted.length
  };
  await ctx.db.transaction(async (tx) => {
    await tx.query(
      `update runner_jobs set status = case when status = 'refused' then status else 'completed' end,
         completed_at = coalesce(completed_at, now()), outcome = $2 where id = $1`,
      [row.id, JSON.stringify(outcome2)]
    );
    if (!first) return;
    await recordEvent(tx, null, "runner.job.completed", {
      job_id: row.id,
      runner: runner.name,
      repository: row.repository,
      run_id: row.run_id,
      run_attempt: row.run_attempt,
      job: row.job,
      ...outcome2
    });
    if (requireGuard.required && !requireGuard.satisfied)
      await recordEvent(tx, null, "security.refused", {
        stage: "runner-require-guard",
        code: "POLICY_DENIED",
        job_id: row.id,
        runner: runner.name,
        repository: row.repository,
        run_id: row.run_id,
        job: row.job,
        reason: requireGuard.message
      });
  });
  return { job: { id: row.id, runner: runner.name }, closedSessions, requireGuard, wanted };
}
async function sessionsOfJob(db, row, local) {
  if (local.length === 0) return [];
  const { rows } = await db.query(
    `select id, status, manifest_sha256 from sessions
      where id = any($1) and repository_id = $2 and run_id = $3 and run_attempt = $4 and job = $5 and created_at >= $6
      order by created_at`,
    [local.map((s) => s.id), row.repository_id, row.run_id, row.run_attempt, row.job, row.created_at]
  );
  return rows;
}
async function requireGuardVerdict(db, row, sessions) {
  const counted = await db.query(
    "select count(*)::int as n from steps where session_id = any($1)",
    [sessions.map((s) => s.id)]
  );
  const guardedSteps = counted.rows[0]?.n ?? 0;
  if (!row.require_guard)
    return { required: false, satisfied: true, guardedSteps, message: "guard is not required for this job" };
  if (guardedSteps > 0)
    return {
      required: true,
      satisfied: true,
      guardedSteps,
      message: `policy ${row.policy ?? ""} requires guard on this runner: ${guardedSteps} step(s) ran through guard`
    };
  return {
    required: true,
    satisfied: false,
    guardedSteps,
    message: `policy ${row.policy ?? ""} requires the steps of jobs on this runner to run through guard, and none did${sessions.length === 0 ? " (no guard session was opened: add `uses: hoop/guard@v1`)" : " (add `shell: guard {0}` to the risky steps)"}; the job is failed`
  };
}
async function wantedFiles(db, sessions, local) {
  const ours = new Set(sessions.map((s) => s.id));
  const wanted = [];
  for (const session of local.filter((s) => ours.has(s.id))) {
    const { rows } = await db.query(
      "select path, sha256, complete from runner_recordings where session_id = $1",
      [session.id]
    );
    const held = new Map(rows.map((r) => [r.path, r]));
    for (const file of session.files) {
      const have = held.get(file.path);
      if (have?.complete && have.sha256 === file.sha256) continue;
      if (have?.complete) {
        await recordEvent(db, session.id, "recording.conflict", {
          path: file.path,
          held_sha256: have.sha256,
          offered_sha256: file.sha256
        });
        continue;
      }
      wanted.push({ session: session.id, path: file.path });
    }
  }
  return wanted;
}

// server/runner/shipped-recordings.ts
async function acceptRecordingChunk(ctx, runner, input) {
  const chunk = parseRecordingChunk(input);
  const job = await loadRunnerJob(ctx.db, runner, chunk.job);
  const owned = await ctx.db.query(
    `select 1 from sessions where id = $1 and repository_id = $2 and run_id = $3 and run_attempt = $4 and job = $5 and created_at >= $6`,
    [chunk.session, job.repository_id, job.run_id, job.run_attempt, job.job, job.created_at]
  );
  if (owned.rows.length === 0)
    throw new GuardError("NOT_FOUND", `guard: session ${chunk.session} is not a session of job ${job.id}`);
  let row = await loadRow(ctx.db, chunk.session, chunk.path);
  if (row && (row.sha256 !== chunk.sha256 || Number(row.size) !== chunk.size)) {
    if (row.complete)
      throw new GuardError(
        "APPROVAL_DRIFT",
        `guard: ${chunk.path} of session ${chunk.session} was already shipped with sha256 ${row.sha256}; shipped evidence is never replaced`
      );
    await ctx.db.query("delete from runner_recordings where session_id = $1 and path = $2 and not complete", [
      chunk.session,
      chunk.path
    ]);
    row = void 0;
  }
  if (!row) {
    await ctx.db.query(
      `insert into runner_recordings (session_id, path, runner_job_id, size, sha256) values ($1, $2, $3, $4, $5)
       on conflict do nothing`,
      [chunk.session, chunk.path, job.id, chunk.size, chunk.sha256]
    );
    row = await loadRow(ctx.db, chunk.session, chunk.path);
    if (!row) throw new GuardError("INTERNAL", "guard: the recording row vanished while it was written");
  }
  if (row.complete) return { received: Number(row.size), complete: true };
  const received = Number(row.received);
  if (chunk.offset !== received) return { received, complete: false };
  const bytes = Buffer.from(chunk.data, "base64");
  if (received + bytes.length > chunk.size)
    throw new GuardError(
      "BAD_INPUT",
      `guard: ${chunk.path} is longer than the ${chunk.size} bytes announced`
    );
  if (bytes.length === 0 && received < chunk.size)
    throw new GuardError("BAD_INPUT", `guard: an empty chunk for ${chunk.path} before its end`);
  const appended = await ctx.db.query(
    `update runner_recordings set data = data || $3, received = received + $4
      where session_id = $1 and path = $2 and received = $5 and not complete`,
    [chunk.session, chunk.path, bytes, bytes.length, received]
  );
  if (appended.rowCount === 0) {
    const now = await loadRow(ctx.db, chunk.session, chunk.path);
    return { received: Number(now?.received ?? 0), complete: now?.complete ?? false };
  }
  if (received + bytes.length < chunk.size) return { received: received + bytes.length, complete: false };
  return finish(ctx, runner, job.id, chunk.session, chunk.path, chunk.sha256, chunk.size);
}
async function finish(ctx, runner, jobId, session, path, sha2562, size) {
  const { rows } = await ctx.db.query(
    "select data from runner_recordings where session_id = $1 and path = $2",
    [session, path]
  );
  const actual = sha256Hex(rows[0]?.data ?? new Uint8Array());
  if (actual !== sha2562) {
    await ctx.db.query("delete from runner_recordings where session_id = $1 and path = $2 and not complete", [
      session,
      path
    ]);
    throw new GuardError(
      "BAD_INPUT",
      `guard: ${path} of session ${session} arrived with sha256 ${actual}, not the ${sha2562} announced; it was discarded, ship it again`
    );
  }
  const done = await ctx.db.query(
    `update runner_recordings set complete = true, completed_at = now() where session_id = $1 and path = $2 and not complete`,
    [session, path]
  );
  if (done.rowCount > 0)
    await recordEvent(ctx.db, session, "recording.shipped", {
      path,
      sha256: sha2562,
      size,
      runner: runner.name,
      job_id: jobId,
      by: "runner-hook"
    });
  return { received: size, complete: true };
}
async function listShippedRecordings(db, sessionId) {
  const { rows } = await db.query(
    "select path, size, sha256, completed_at from runner_recordings where session_id = $1 and complete order by path",
    [sessionId]
  );
  return rows.map((r) => ({
    path: r.path,
    size: Number(r.size),
    sha256: r.sha256,
    shippedAt: r.completed_at.toISOString()
  }));
}
async function readShippedRecording(db, sessionId, path) {
  const { rows } = await db.query(
    "select data from runner_recordings where session_id = $1 and path = $2 and complete",
    [sessionId, path]
  );
  const row = rows[0];
  if (!row) throw new GuardError("NOT_FOUND", `guard: no shipped recording ${path} for session ${sessionId}`);
  return Buffer.from(row.data);
}
async function loadRow(db, session, path) {
  const { rows } = await db.query(
    "select size, sha256, received, complete from runner_recordings where session_id = $1 and path = $2",
    [session, path]
  );
  return rows[0];
}

// server/runner/routes.ts
function addRunnerRoutes(ctx, router) {
  const runner = (request) => authenticateRunner(ctx.db, request.headers.authorization);
  router.add("GET", "/v1/runner/whoami", async (request) => {
    const { name, labels } = await runner(request);
    return { status: 200, body: { name, labels } };
  });
  router.add("POST", "/v1/runner/jobs/started", async (request) => ({
    status: 200,
    body: await reportJobStarted(ctx, await runner(request), request.body)
  }));
  router.add("GET", "/v1/runner/approvals/:id/wait", async (request, params) => {
    const who = await runner(request);
    const requested = Number(request.query.get("timeout") ?? ctx.config.maxWaitSec);
    const timeoutSec = Number.isFinite(requested) && requested > 0 ? Math.min(requested, ctx.config.maxWaitSec) : ctx.config.maxWaitSec;
    return {
      status: 200,
      body: await waitRunnerApproval(ctx, who, params.id ?? "", timeoutSec * 1e3, request.signal)
    };
  });
  router.add("POST", "/v1/runner/jobs/completed", async (request) => ({
    status: 200,
    body: await reportJobCompleted(ctx, await runner(request), request.body)
  }));
  router.add("POST", "/v1/runner/recordings", async (request) => ({
    status: 200,
    body: await acceptRecordingChunk(ctx, await runner(request), request.body)
  }));
  router.add("GET", "/v1/runner/recordings", async (request) => {
    await authenticateReviewer(ctx.db, request.headers.authorization);
    const session = sessionParam(request);
    return { status: 200, body: { session, recordings: await listShippedRecordings(ctx.db, session) } };
  });
  router.add("GET", "/v1/runner/recordings/content", async (request) => {
    await authenticateReviewer(ctx.db, request.headers.authorization);
    const session = sessionParam(request);
    const path = request.query.get("path") ?? "";
    const data = await readShippedRecording(ctx.db, session, path);
    return { status: 200, body: { session, path, data: data.toString("base64") } };
  });
}
function sessionParam(request) {
  const session = request.query.get("session") ?? "";
  if (!/^[0-9a-f]{16}$/.test(session))
    throw new GuardError("BAD_INPUT", "guard: ?session= must be a session id");
  return session;
}

// server/runner/extension.ts
var runnerExtension = {
  name: "runner-hooks",
  async install(ctx, router) {
    addRunnerRoutes(ctx, router);
    return void 0;
  }
};

// server/review-page/review-sessions.ts
import { createHmac, randomBytes, timingSafeEqual as timingSafeEqual2 } from "node:crypto";
var REVIEW_SESSION_TTL_MS = 8 * 36e5;
async function openReviewSession(ctx, credential, ttlMs = REVIEW_SESSION_TTL_MS) {
  const presented = typeof credential === "string" ? credential.trim() : "";
  if (!/^gr_[A-Za-z0-9_-]{20,200}$/.test(presented)) {
    throw new GuardError(
      "FORBIDDEN",
      "guard: that is not a reviewer credential (it starts with gr_); the platform team issues one with `guard reviewer add LOGIN`"
    );
  }
  const reviewer = await authenticateReviewer(ctx.db, `Bearer ${presented}`);
  const token = randomBytes(32).toString("base64url");
  const now = ctx.now();
  const expiresAt = new Date(now.getTime() + ttlMs);
  await ctx.db.query("delete from review_sessions where expires_at <= $1", [now]);
  await ctx.db.query(
    `insert into review_sessions (token_sha256, login, credential_sha256, created_at, expires_at)
     values ($1, $2, $3, $4, $5)`,
    [sha256Hex(token), reviewer.login, sha256Hex(presented), now, expiresAt]
  );
  await recordEvent(ctx.db, null, "review-page.login", { reviewer: reviewer.login });
  return { login: reviewer.login, token, expiresAt };
}
async function findReviewSession(ctx, token) {
  if (!token) return void 0;
  const { rows } = await ctx.db.query(
    `select s.login, s.expires_at from review_sessions s
       join reviewers r on r.login = s.login and r.credential_sha256 = s.credential_sha256
      where s.token_sha256 = $1 and s.expires_at > $2`,
    [sha256Hex(token), ctx.now()]
  );
  const row = rows[0];
  return row ? { login: row.login, token, expiresAt: row.expires_at } : void 0;
}
async function endReviewSession(ctx, session) {
  await ctx.db.query("delete from review_sessions where token_sha256 = $1", [sha256Hex(session.token)]);
  await recordEvent(ctx.db, null, "review-page.logout", { reviewer: session.login });
}
function csrfTokenFor(session) {
  return createHmac("sha256", session.token).update("guard review page csrf v1").digest("base64url");
}
function csrfMatches(session, presented) {
  const expected = Buffer.from(csrfTokenFor(session));
  const given = Buffer.from(presented ?? "");
  return given.length === expected.length && timingSafeEqual2(given, expected);
}

// server/review-page/login-view.ts
function loginView(notice) {
  return html`<section class="login card">
    <div class="card-head"><h2>Sign in to review guarded steps</h2></div>
    <div class="card-body">
      ${notice ? html`<p class="notice" role="status">${notice}</p>` : ""}
      <form id="login-form" method="post" autocomplete="off">
        <div class="decide">
          <label for="credential">Reviewer credential</label>
          <input
            id="credential"
            name="credential"
            type="password"
            placeholder="gr_..."
            autocomplete="off"
            spellcheck="false"
            required
          />
        </div>
        <div class="actions">
          <button class="primary" type="submit">Sign in</button>
          <span id="login-message" class="message" role="alert"></span>
        </div>
      </form>
      <p class="hint">
        The platform team issues the credential with <code>guard reviewer add LOGIN</code>. It is sent once;
        the page then keeps an 8-hour session in a cookie scripts cannot read.
      </p>
    </div>
  </section>`;
}

// server/review-page/page-shell.ts
import { randomBytes as randomBytes2 } from "node:crypto";

// server/review-page/page-script.ts
var PAGE_SCRIPT = `
(() => {
  'use strict';
  const meta = document.querySelector('meta[name="guard-csrf"]');
  const csrf = meta ? meta.getAttribute('content') || '' : '';

  async function post(path, body) {
    const response = await fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-guard-csrf': csrf },
      body: JSON.stringify(body),
    });
    let data = null;
    try { data = await response.json(); } catch { data = null; }
    if (!response.ok) {
      const message = data && data.error && typeof data.error.message === 'string'
        ? data.error.message : 'the server answered ' + response.status;
      throw new Error(message);
    }
    return data;
  }

  function say(element, text, kind) {
    if (!element) return;
    element.textContent = text;
    element.className = 'message' + (kind ? ' ' + kind : '');
  }

  const login = document.getElementById('login-form');
  if (login) {
    login.addEventListener('submit', async (event) => {
      event.preventDefault();
      const input = document.getElementById('credential');
      const message = document.getElementById('login-message');
      const credential = input.value.trim();
      if (!credential) { say(message, 'Paste your reviewer credential (it starts with gr_).', 'error'); return; }
      say(message, 'Signing in...', '');
      try {
        await post('/review/login', { credential });
        input.value = '';
        window.location.replace('/review');
      } catch (error) {
        say(message, error.message, 'error');
      }
    });
  }

  const logout = document.getElementById('logout');
  if (logout) {
    logout.addEventListener('click', async () => {
      try { await post('/review/logout', {}); } finally { window.location.replace('/review'); }
    });
  }

  // New requests show up without a manual reload: the page reloads every guard-refresh seconds, but never
  // while the reviewer is writing a comment or has just acted (the result message stays readable).
  let lastAction = Date.now();
  document.addEventListener('click', () => { lastAction = Date.now(); });
  document.addEventListener('input', () => { lastAction = Date.now(); });
  const refreshMeta = document.querySelector('meta[name="guard-refresh"]');
  const refreshMs = refreshMeta ? Number(refreshMeta.getAttribute('content')) * 1000 : 0;
  if (refreshMs > 0) {
    setInterval(() => {
      if (document.hidden || Date.now() - lastAction < refreshMs) return;
      for (const area of document.querySelectorAll('textarea')) {
        if (area.value.trim() || area === document.activeElement) return;
      }
      window.location.reload();
    }, refreshMs);
  }

  for (const card of document.querySelectorAll('article.card[data-approval]')) {
    const id = card.getAttribute('data-approval');
    const comment = card.querySelector('textarea');
    const message = card.querySelector('.message');
    const buttons = card.querySelectorAll('button[data-decision]');
    for (const button of buttons) {
      button.addEventListener('click', async () => {
        const decision = button.getAttribute('data-decision');
        const text = comment ? comment.value.trim() : '';
        if (decision === 'deny' && !text) {
          say(message, 'A denial needs a reason: write it in the comment so the author knows what to change.', 'error');
          if (comment) comment.focus();
          return;
        }
        for (const b of buttons) b.disabled = true;
        say(message, decision === 'approve' ? 'Approving...' : 'Denying...', '');
        try {
          const result = await post('/review/approvals/' + encodeURIComponent(id) + '/decision', { decision, comment: text });
          say(message, result.message, 'done');
          if (comment) comment.disabled = true;
          card.classList.add('decided');
        } catch (error) {
          say(message, error.message, 'error');
          for (const b of buttons) b.disabled = false;
        }
      });
    }
  }
})();
`;

// server/review-page/page-style.ts
var PAGE_STYLE = `
:root {
  --bg: #f5f6f8; --card: #fff; --ink: #1c2330; --muted: #5b6576; --line: #dde1e7;
  --accent: #2f5bd3; --ok: #1a7f37; --ok-bg: #e7f5ea; --bad: #b42318; --bad-bg: #fdecea;
  --warn: #8a5a00; --warn-bg: #fff6dd; --code-bg: #11161f; --code-ink: #e6edf3;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--ink); background: var(--bg);
}
* { box-sizing: border-box; }
body { margin: 0; font-size: 15px; line-height: 1.45; }
header.bar { background: #1c2330; color: #fff; display: flex; align-items: center; gap: 16px;
  padding: 10px 24px; }
header.bar .brand { font-weight: 700; letter-spacing: .02em; }
header.bar .brand span { font-weight: 400; opacity: .75; }
header.bar .who { margin-left: auto; font-size: 13px; opacity: .9; }
header.bar button { background: transparent; color: #fff; border: 1px solid rgba(255,255,255,.45); }
main { max-width: 980px; margin: 0 auto; padding: 24px; }
h1 { font-size: 20px; margin: 0 0 4px; }
.lead { color: var(--muted); margin: 0 0 20px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; margin: 0 0 20px;
  box-shadow: 0 1px 2px rgba(16,24,40,.05); }
.card-head { display: flex; align-items: baseline; gap: 10px; padding: 14px 18px; border-bottom: 1px solid var(--line); }
.card-head h2 { font-size: 17px; margin: 0; overflow-wrap: anywhere; }
.kind { font-size: 11px; font-weight: 700; text-transform: uppercase; letter-spacing: .06em; color: var(--accent);
  border: 1px solid currentColor; border-radius: 4px; padding: 1px 6px; white-space: nowrap; }
.expires { margin-left: auto; font-size: 13px; color: var(--muted); white-space: nowrap; }
.expires.soon { color: var(--bad); font-weight: 600; }
.card-body { padding: 14px 18px 18px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr max-content 1fr; gap: 6px 14px; margin: 0 0 14px; }
dl.facts dt { color: var(--muted); font-size: 13px; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.reason { background: var(--warn-bg); color: var(--warn); border-left: 4px solid #e0a800; border-radius: 6px;
  padding: 8px 12px; margin: 0 0 14px; }
.reason strong { color: var(--ink); }
.label { font-size: 12px; font-weight: 700; text-transform: uppercase; letter-spacing: .05em; color: var(--muted);
  margin: 0 0 6px; display: flex; gap: 8px; align-items: baseline; }
.label .note { text-transform: none; letter-spacing: 0; font-weight: 400; }
pre.script { background: var(--code-bg); color: var(--code-ink); border-radius: 8px; padding: 12px 14px; margin: 0 0 8px;
  max-height: 360px; overflow: auto; font: 13px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  white-space: pre-wrap; overflow-wrap: anywhere; }
.digest { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; color: var(--muted); margin: 0 0 14px;
  overflow-wrap: anywhere; }
.votes { margin: 0 0 14px; font-size: 14px; }
.votes ul { margin: 4px 0 0; padding-left: 18px; }
.self { background: var(--bad-bg); color: var(--bad); border-radius: 6px; padding: 6px 10px; margin: 0 0 10px; font-size: 14px; }
.decide textarea { width: 100%; min-height: 56px; font: inherit; padding: 8px 10px; border: 1px solid var(--line);
  border-radius: 6px; resize: vertical; }
.decide label { display: block; font-size: 13px; color: var(--muted); margin-bottom: 4px; }
.actions { display: flex; gap: 10px; margin-top: 10px; align-items: center; flex-wrap: wrap; }
button { font: inherit; font-weight: 600; border-radius: 6px; padding: 7px 16px; cursor: pointer; border: 1px solid var(--line);
  background: #fff; color: var(--ink); }
button:disabled { opacity: .55; cursor: default; }
button.approve { background: var(--ok); border-color: var(--ok); color: #fff; }
button.deny { background: #fff; border-color: var(--bad); color: var(--bad); }
button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
.message { font-size: 14px; }
.message.error { color: var(--bad); }
.message.done { color: var(--ok); font-weight: 600; }
.card.decided { opacity: .8; }
.empty { background: var(--card); border: 1px dashed var(--line); border-radius: 10px; padding: 28px; text-align: center;
  color: var(--muted); }
.login { max-width: 520px; margin: 48px auto; }
.login input { width: 100%; font: 14px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; padding: 9px 10px;
  border: 1px solid var(--line); border-radius: 6px; }
.notice { background: var(--warn-bg); color: var(--warn); border-radius: 6px; padding: 8px 12px; margin: 0 0 14px; }
.hint { color: var(--muted); font-size: 13px; }
@media (max-width: 700px) { dl.facts { grid-template-columns: max-content 1fr; } }
`;

// server/review-page/page-shell.ts
function newNonce() {
  return randomBytes2(16).toString("base64");
}
function pageHeaders(nonce) {
  return {
    "content-security-policy": [
      "default-src 'none'",
      `script-src 'nonce-${nonce}'`,
      `style-src 'nonce-${nonce}'`,
      "connect-src 'self'",
      "img-src data:",
      "form-action 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'"
    ].join("; "),
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
    "cache-control": "no-store",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin"
  };
}
function renderPage(input) {
  const nonce = newNonce();
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
${input.csrf ? html`<meta name="guard-csrf" content="${input.csrf}">` : ""}
${input.refreshSeconds ? html`<meta name="guard-refresh" content="${String(input.refreshSeconds)}">` : ""}
<link rel="icon" href="data:,">
<title>${input.title}</title>
<style nonce="${nonce}">${unsafeRaw(PAGE_STYLE)}</style>
</head>
<body>
<header class="bar">
  <div class="brand">guard <span>review</span></div>
  ${input.login ? html`<div class="who">Signed in as <strong>${input.login}</strong>${input.sessionEnds ? html` · session ends ${input.sessionEnds}` : ""}</div>
  <button id="logout" type="button">Sign out</button>` : ""}
</header>
<main>
${input.main}
</main>
<script nonce="${nonce}">${unsafeRaw(PAGE_SCRIPT)}</script>
</body>
</html>
`;
  return { body: page.toString(), headers: { ...pageHeaders(nonce), ...input.extraHeaders } };
}

// server/review-page/queue.ts
async function loadQueue(ctx, reviewer) {
  const pending = await listPendingApprovals(ctx, reviewer);
  const items = [];
  const login = reviewer.login.toLowerCase();
  for (const { id } of pending) {
    const state = await getApproval(ctx, id);
    if (state.status !== "pending") continue;
    const text2 = (key) => {
      const value = state.context[key];
      return typeof value === "string" && value ? value : null;
    };
    items.push({
      id: state.id,
      kind: state.kind,
      title: state.title,
      repository: state.repository,
      runId: state.runId,
      runAttempt: state.runAttempt,
      job: text2("job"),
      workflow: text2("workflow"),
      ref: text2("ref"),
      sha: text2("sha"),
      database: text2("database"),
      actor: state.actor,
      body: state.body,
      digest: state.digest,
      reason: text2("reason"),
      required: state.required,
      votes: state.votes,
      createdAt: state.createdAt,
      expiresAt: state.expiresAt,
      yourVote: state.votes.find((vote) => vote.reviewer.toLowerCase() === login)?.decision ?? null,
      selfStarted: !state.allowSelfApproval && state.actor?.toLowerCase() === login
    });
  }
  return items;
}

// server/review-page/queue-view.ts
var KIND_LABEL = {
  step: "Step",
  sql: "SQL",
  job: "Job",
  deployment: "Deployment"
};
function queueView(items, now) {
  const count = items.length === 0 ? "Nothing waits for you right now." : `${items.length} ${items.length === 1 ? "request waits" : "requests wait"} for your decision.`;
  return html`<h1>Review queue</h1>
    <p class="lead">
      ${count} Approving releases exactly the script or SQL shown (by its digest); a changed script asks
      again.
    </p>
    ${items.length === 0 ? html`<div class="empty">
            New requests appear here when policy holds a step; the page checks on its own.
          </div>` : items.map((item) => card(item, now))}`;
}
function card(item, now) {
  const approvals = item.votes.filter((vote) => vote.decision === "approve").length;
  const minutesLeft = Math.floor((Date.parse(item.expiresAt) - now.getTime()) / 6e4);
  const what = item.kind === "sql" ? "SQL that will run" : "What will run";
  return html`<article class="card" data-approval="${item.id}">
    <div class="card-head">
      <span class="kind">${KIND_LABEL[item.kind]}</span>
      <h2>${item.title}</h2>
      <span class="expires${minutesLeft < 15 ? " soon" : ""}" title="${item.expiresAt}"
        >expires ${inTime(minutesLeft)} · ${utc(item.expiresAt)}</span
      >
    </div>
    <div class="card-body">
      <dl class="facts">
        <dt>Repository</dt>
        <dd>${item.repository}</dd>
        <dt>Started by</dt>
        <dd><strong>${item.actor ?? "unknown"}</strong></dd>
        <dt>Run</dt>
        <dd>${run(item)}</dd>
        <dt>Workflow</dt>
        <dd>${item.workflow ?? "-"}</dd>
        <dt>Ref</dt>
        <dd>${item.ref ?? "-"}</dd>
        <dt>Commit</dt>
        <dd>${item.sha ? item.sha.slice(0, 12) : "-"}</dd>
        ${item.database ? html`<dt>Database</dt>
                <dd>${item.database}</dd>` : ""}
        <dt>Requested</dt>
        <dd>${utc(item.createdAt)}</dd>
      </dl>
      <p class="reason"><strong>Why policy held it:</strong> ${item.reason ?? "policy requires approval"}</p>
      <div class="label">
        ${what} <span class="note">masked: secrets and personal data are replaced</span>
      </div>
      <pre class="script"><code>${item.body}</code></pre>
      <p class="digest">sha256 ${item.digest}</p>
      <div class="votes">${votes(item, approvals)}</div>
      ${decide(item)}
    </div>
  </article>`;
}
function run(item) {
  if (!item.runId) return html`-`;
  return html`${item.runId}${item.runAttempt ? ` (attempt ${item.runAttempt})` : ""}${item.job ? html` · job <strong>${item.job}</strong>` : ""}`;
}
function votes(item, approvals) {
  const tally = html`<strong>Approvals: ${approvals} of ${item.required}</strong>`;
  if (item.votes.length === 0) return html`${tally} · no votes yet`;
  return html`${tally}
    <ul>
      ${item.votes.map(
    (vote) => html`<li>
            <strong>${vote.reviewer}</strong> ${vote.decision === "approve" ? "approved" : "denied"} via
            ${vote.channel}, ${utc(vote.at)}${vote.comment ? html`: “${vote.comment}”` : ""}
          </li>`
  )}
    </ul>`;
}
function decide(item) {
  if (item.yourVote) {
    return html`<p class="message done">
      You ${item.yourVote === "approve" ? "approved" : "denied"} this; waiting for other reviewers.
    </p>`;
  }
  return html`<div class="decide">
    ${item.selfStarted ? html`<p class="self">You started this run: policy does not let you approve it; another reviewer must.</p>` : ""}
    <label for="comment-${item.id}">Comment (optional to approve, required to deny)</label>
    <textarea
      id="comment-${item.id}"
      maxlength="2000"
      placeholder="e.g. checked the plan output; or why not"
    ></textarea>
    <div class="actions">
      <button class="approve" type="button" data-decision="approve">Approve</button>
      <button class="deny" type="button" data-decision="deny">Deny</button>
      <span class="message" role="alert"></span>
    </div>
  </div>`;
}
function utc(iso) {
  return `${iso.slice(0, 16).replace("T", " ")} UTC`;
}
function inTime(minutes) {
  if (minutes < 1) return "in under a minute";
  if (minutes < 60) return `in ${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return `in ${hours} h${rest ? ` ${rest} min` : ""}`;
}

// server/review-page/request-guard.ts
var REVIEW_COOKIE = "guard_review";
var REVIEW_PATH = "/review";
var CSRF_HEADER = "x-guard-csrf";
function readCookie(header2, name) {
  for (const part of (header2 ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || void 0;
  }
  return void 0;
}
function sessionCookie(token, maxAgeSec, secure) {
  return [
    `${REVIEW_COOKIE}=${token}`,
    `Path=${REVIEW_PATH}`,
    `Max-Age=${Math.max(0, Math.floor(maxAgeSec))}`,
    "HttpOnly",
    "SameSite=Strict",
    ...secure ? ["Secure"] : []
  ].join("; ");
}
function clearedCookie(secure) {
  return sessionCookie("", 0, secure);
}
function cookieIsSecure(publicUrl) {
  return publicUrl?.startsWith("https://") ?? false;
}
function isSameOrigin(headers, publicUrl) {
  const site = headers["sec-fetch-site"];
  if (site !== void 0 && site !== "same-origin") return false;
  const origin = headers.origin;
  if (!origin || origin === "null") return false;
  let presented;
  try {
    presented = new URL(origin);
  } catch {
    return false;
  }
  if (publicUrl) return presented.origin === new URL(publicUrl).origin;
  return presented.host === headers.host;
}
function assertPageRequest(headers, publicUrl) {
  if (!isSameOrigin(headers, publicUrl)) {
    throw new GuardError(
      "FORBIDDEN",
      "guard: the review page accepts changes only from its own pages (cross-origin request refused); open the review page on this server and try again"
    );
  }
  const type = (headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
  if (type !== "application/json") {
    throw new GuardError("BAD_INPUT", "guard: the review page accepts JSON requests only");
  }
}

// server/review-page/sign-in-throttle.ts
var MAX_FAILURES = 5;
var WINDOW_MS = 15 * 6e4;
var MAX_ADDRESSES = 1e4;
var SignInThrottle = class {
  failures = /* @__PURE__ */ new Map();
  /** Milliseconds until `address` may try again, or 0 when it may try now. */
  retryAfterMs(address, nowMs) {
    const recent = this.recent(address, nowMs);
    if (recent.length < MAX_FAILURES) return 0;
    return recent[recent.length - MAX_FAILURES] + WINDOW_MS - nowMs;
  }
  failed(address, nowMs) {
    const recent = this.recent(address, nowMs);
    recent.push(nowMs);
    this.failures.delete(address);
    this.failures.set(address, recent.slice(-MAX_FAILURES));
    if (this.failures.size > MAX_ADDRESSES) {
      const oldest = this.failures.keys().next().value;
      if (oldest !== void 0) this.failures.delete(oldest);
    }
  }
  succeeded(address) {
    this.failures.delete(address);
  }
  recent(address, nowMs) {
    return (this.failures.get(address) ?? []).filter((at) => nowMs - at < WINDOW_MS);
  }
};

// server/review-page/routes.ts
function addReviewPageRoutes(ctx, router, options) {
  const secure = cookieIsSecure(ctx.config.publicUrl);
  const cookieOf = (request) => readCookie(request.headers.cookie, REVIEW_COOKIE);
  router.add("GET", REVIEW_PATH, async (request) => {
    const token = cookieOf(request);
    const session = await findReviewSession(ctx, token);
    if (!session) {
      const page2 = renderPage({
        title: "guard: sign in to review",
        main: loginView(
          token ? "Your review session has ended (expired or signed out); paste your credential again." : void 0
        ),
        ...token ? { extraHeaders: { "set-cookie": clearedCookie(secure) } } : {}
      });
      return { status: 200, body: page2.body, headers: page2.headers };
    }
    const items = await loadQueue(ctx, { login: session.login });
    const page = renderPage({
      title: items.length ? `(${items.length}) guard review queue` : "guard review queue",
      main: queueView(items, ctx.now()),
      login: session.login,
      sessionEnds: `${session.expiresAt.toISOString().slice(11, 16)} UTC`,
      csrf: csrfTokenFor(session),
      refreshSeconds: options.refreshSeconds
    });
    return { status: 200, body: page.body, headers: page.headers };
  });
  const throttle = new SignInThrottle();
  router.add("POST", `${REVIEW_PATH}/login`, async (request) => {
    assertPageRequest(request.headers, ctx.config.publicUrl);
    const forwarded = request.headers["x-forwarded-for"];
    const address = `${request.remoteAddress ?? "unknown"}${forwarded ? ` (forwarded for ${forwarded})` : ""}`;
    const waitMs = throttle.retryAfterMs(address, ctx.now().getTime());
    if (waitMs > 0) {
      throw new GuardError(
        "RATE_LIMITED",
        `guard: too many failed sign-ins from this address; try again in ${Math.ceil(waitMs / 6e4)} min, or ask the platform team for a new credential (guard reviewer add LOGIN)`
      );
    }
    let session;
    try {
      session = await openReviewSession(ctx, field(request, "credential"), options.sessionTtlMs);
    } catch (error) {
      throttle.failed(address, ctx.now().getTime());
      await recordEvent(ctx.db, null, "security.refused", {
        stage: "review-login",
        code: error instanceof GuardError ? error.code : "INTERNAL",
        address
      }).catch(() => void 0);
      throw error;
    }
    throttle.succeeded(address);
    return {
      status: 200,
      body: { login: session.login, expiresAt: session.expiresAt.toISOString() },
      headers: { "set-cookie": sessionCookie(session.token, options.sessionTtlMs / 1e3, secure) }
    };
  });
  router.add("POST", `${REVIEW_PATH}/logout`, async (request) => {
    const session = await pageSession(ctx, request);
    await endReviewSession(ctx, session);
    return { status: 200, body: { signedOut: true }, headers: { "set-cookie": clearedCookie(secure) } };
  });
  router.add(
    "POST",
    `${REVIEW_PATH}/approvals/:id/decision`,
    async (request, params) => {
      const session = await pageSession(ctx, request);
      const decision = field(request, "decision");
      const comment = field(request, "comment");
      if (decision === "deny" && (typeof comment !== "string" || !comment.trim())) {
        throw new GuardError(
          "BAD_INPUT",
          "guard: a denial needs a reason; write it in the comment so the workflow author knows what to change"
        );
      }
      const state = await decideApproval(
        ctx,
        params.id ?? "",
        { login: session.login },
        { decision, comment, channel: "review-page" }
      );
      return { status: 200, body: outcome(state) };
    }
  );
}
async function pageSession(ctx, request) {
  assertPageRequest(request.headers, ctx.config.publicUrl);
  const session = await findReviewSession(ctx, readCookie(request.headers.cookie, REVIEW_COOKIE));
  if (!session) {
    throw new GuardError(
      "FORBIDDEN",
      "guard: your review session has ended (expired or signed out); reload the page and sign in again"
    );
  }
  if (!csrfMatches(session, request.headers[CSRF_HEADER])) {
    throw new GuardError(
      "FORBIDDEN",
      "guard: the request did not carry this session\u2019s CSRF token; reload the review page and try again"
    );
  }
  return session;
}
function field(request, name) {
  const body = request.body;
  return typeof body === "object" && body !== null ? body[name] : void 0;
}
function outcome(state) {
  const approvals = state.votes.filter((vote) => vote.decision === "approve").length;
  const subject = state.kind === "sql" ? "statement" : state.kind;
  const message2 = state.status === "approved" ? `Approved: the ${subject} is released and will run.` : state.status === "denied" ? `Denied: the ${subject} will not run; the author sees your reason.` : `Your approval counted (${approvals} of ${state.required}); waiting for other reviewers.`;
  return { status: state.status, approvals, required: state.required, message: message2 };
}

// server/review-page/extension.ts
var DEFAULT_REFRESH_SECONDS = 30;
function createReviewPageExtension(options = {}) {
  return {
    name: "review-page",
    async install(ctx, router) {
      const ids = REVIEW_PAGE_MIGRATIONS.map((migration) => migration.id);
      const { rows } = await ctx.db.query(
        "select id from schema_migrations where id = any($1::int[])",
        [ids]
      );
      if (rows.length !== ids.length) {
        throw new GuardError(
          "CONFIG_INVALID",
          "guard: the review page tables are missing (migration 500 not applied); REVIEW_PAGE_MIGRATIONS must be listed in server/storage/migrations.ts"
        );
      }
      addReviewPageRoutes(ctx, router, {
        sessionTtlMs: options.sessionTtlMs ?? REVIEW_SESSION_TTL_MS,
        refreshSeconds: options.refreshSeconds ?? DEFAULT_REFRESH_SECONDS
      });
      return void 0;
    }
  };
}
var reviewPageExtension = createReviewPageExtension();

// server/start-server.ts
async function startServer(config, options = {}) {
  const log = options.log ?? ((line) => console.log(`guard server: ${line}`));
  const db = await openDatabase({
    ...config.databaseUrl ? { databaseUrl: config.databaseUrl } : {},
    ...config.dataDir ? { dataDir: config.dataDir } : {}
  });
  let server;
  const stops = [];
  const waiters = new ApprovalWaiters(db);
  try {
    await migrate(db);
    const policies = options.policies ?? await loadServerPolicies(config.policyDir);
    await waiters.start();
    const ctx = {
      config,
      db,
      issuers: new TrustedIssuers(config.issuers, config.jwksCooldownMs),
      policies,
      waiters,
      approvalEvents: new ApprovalEvents(log),
      secrets: secretBox(await loadServerSecret(config)),
      now: options.now ?? (() => /* @__PURE__ */ new Date()),
      log
    };
    const router = buildApi(ctx);
    for (const extension of options.extensions ?? [githubExtension, runnerExtension, reviewPageExtension]) {
      const stop = await extension.install(ctx, router, options.env ?? process.env);
      if (stop) stops.push(stop);
    }
    if (config.ledgerRetentionDays !== void 0)
      stops.push(scheduleRetention(ctx, config.ledgerRetentionDays));
    const listening = await listen(router, config.host, config.port);
    server = listening.server;
    log(
      `listening on ${listening.url} (database: ${db.kind}${config.dataDir ? ` in ${config.dataDir}` : ""}; issuers: ${config.issuers.join(", ")}; audience: ${config.audience})`
    );
    const running = server;
    return {
      url: listening.url,
      ctx,
      async close() {
        running.closeAllConnections();
        await new Promise((resolve) => running.close(() => resolve()));
        for (const stop of stops.splice(0)) await stop().catch(() => {
        });
        await waiters.stop();
        await db.close();
      }
    };
  } catch (error) {
    server?.close();
    for (const stop of stops.splice(0)) await stop().catch(() => {
    });
    await waiters.stop().catch(() => {
    });
    await db.close().catch(() => {
    });
    throw error;
  }
}
function scheduleRetention(ctx, days) {
  const run2 = async () => {
    try {
      const keys = await ensureKeySet(ctx.db, ctx.secrets);
      const removed = await applyRetention(ctx.db, days, keys.active, ctx.now());
      if (removed > 0)
        ctx.log(`ledger retention: removed ${removed} rows older than ${days} days (recorded in the ledger)`);
    } catch (error) {
      ctx.log(`ledger retention failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const first = run2();
  const timer = setInterval(() => void run2(), 864e5);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await first;
  };
}

export {
  registerDatabase,
  removeDatabase,
  listDatabases,
  addReviewer,
  startServer
};

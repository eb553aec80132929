import { createRequire as __guardCreateRequire } from 'node:module'; import { fileURLToPath as __guardFileURLToPath } from 'node:url'; import { dirname as __guardDirname } from 'node:path'; const require = __guardCreateRequire(import.meta.url); const __guard_filename = __guardFileURLToPath(import.meta.url); const __guard_dirname = __guardDirname(__guard_filename);
import {
  decodeJwt,
  decodeProtectedHeader,
  errors_exports,
  jwtVerify
} from "./chunk-7VDHGFYH.js";
import {
  appendLedgerEntry,
  exportSigningKey,
  importSigningKey,
  keysDocument,
  ledgerExportLine,
  rotateKeySet,
  signCheckpoint
} from "./chunk-74IGE3EL.js";
import {
  loadPolicyDir
} from "./chunk-IZR5YBT4.js";
import {
  signManifest
} from "./chunk-QV6IKAJV.js";
import {
  resolvePolicy
} from "./chunk-KIAGOMB5.js";
import {
  approvalRecord,
  parseManifest
} from "./chunk-A5XFMG5Z.js";
import {
  RUNNER_CREDENTIAL_PREFIX
} from "./chunk-LROATGUR.js";
import {
  decideStep
} from "./chunk-USEWQYAI.js";
import {
  newCredential,
  newId,
  sha256Hex
} from "./chunk-RLLPX6DD.js";
import {
  canonicalJson
} from "./chunk-PPEQLLQ3.js";
import {
  GuardError
} from "./chunk-I2IPMUGB.js";

// server/audit/signing-key-store.ts
async function loadKeySet(db, box) {
  const { rows } = await db.query(
    "select key_id, algorithm, private_key_sealed, not_before, not_after from signing_keys order by not_before desc, key_id"
  );
  const keys = rows.map(
    (row) => importSigningKey({
      keyid: row.key_id,
      algorithm: row.algorithm,
      privateKeyPem: box.open(row.private_key_sealed),
      notBefore: row.not_before,
      ...row.not_after ? { notAfter: row.not_after } : {}
    })
  );
  const active = keys.find((key) => key.notAfter === void 0);
  if (!active) return void 0;
  return { active, retired: keys.filter((key) => key !== active) };
}
async function ensureKeySet(db, box, now = /* @__PURE__ */ new Date()) {
  return db.transaction(async (tx) => {
    await tx.query("select pg_advisory_xact_lock(724212)");
    const existing = await loadKeySet(tx, box);
    if (existing) return existing;
    const set = rotateKeySet(void 0, "ed25519", now);
    await storeKey(tx, box, set.active);
    return set;
  });
}
async function rotateKeys(db, box, now = /* @__PURE__ */ new Date()) {
  return db.transaction(async (tx) => {
    await tx.query("select pg_advisory_xact_lock(724212)");
    const current = await loadKeySet(tx, box);
    const next = rotateKeySet(current, "ed25519", now);
    if (current)
      await tx.query("update signing_keys set not_after = $2 where key_id = $1", [
        current.active.keyId,
        now.toISOString()
      ]);
    await storeKey(tx, box, next.active);
    return next;
  });
}
function publicKeys(set) {
  return keysDocument(set);
}
async function storeKey(tx, box, key) {
  const stored = exportSigningKey(key);
  await tx.query(
    "insert into signing_keys (key_id, algorithm, private_key_sealed, not_before) values ($1, $2, $3, $4)",
    [stored.keyid, stored.algorithm, box.seal(stored.privateKeyPem), stored.notBefore]
  );
}

// server/events.ts
async function recordEvent(db, sessionId, type, body) {
  await db.query("insert into events (session_id, type, body) values ($1, $2, $3)", [
    sessionId,
    type,
    JSON.stringify(body)
  ]);
}

// lib/claims.ts
var REQUIRED_CLAIMS = [
  "repository",
  "repository_id",
  "repository_owner",
  "repository_owner_id",
  "run_id",
  "run_attempt",
  "ref",
  "sha",
  "actor",
  "workflow",
  "event_name"
];

// server/oidc/verify-token.ts
var ALLOWED_ALGORITHMS = ["RS256", "RS384", "RS512"];
async function verifyJobToken(token, options) {
  if (typeof token !== "string" || !/^[\w-]*\.[\w-]*\.[\w-]*$/.test(token)) {
    throw new GuardError(
      "TOKEN_MALFORMED",
      "guard: the OIDC token is not a compact JWT; pass the token from core.getIDToken()"
    );
  }
  let alg;
  let iss;
  try {
    alg = decodeProtectedHeader(token).alg;
    iss = decodeJwt(token).iss;
  } catch (error) {
    throw new GuardError("TOKEN_MALFORMED", "guard: the OIDC token cannot be decoded", { cause: error });
  }
  if (typeof alg !== "string" || !ALLOWED_ALGORITHMS.includes(alg)) {
    throw new GuardError(
      "TOKEN_ALG_NOT_ALLOWED",
      `guard: the OIDC token's signing algorithm is not allowed (allowed: ${ALLOWED_ALGORITHMS.join(", ")})`
    );
  }
  if (typeof iss !== "string" || !options.issuers.has(iss)) {
    throw new GuardError(
      "TOKEN_ISSUER_UNTRUSTED",
      "guard: the OIDC token's issuer is not trusted by this server; the platform team configures trusted issuers (--issuer)"
    );
  }
  const { keys } = await options.issuers.keysFor(iss);
  const currentDate = options.now?.() ?? /* @__PURE__ */ new Date();
  const tolerance = options.clockToleranceSec ?? 60;
  let payload;
  try {
    ({ payload } = await jwtVerify(token, keys, {
      issuer: iss,
      audience: options.audience,
      algorithms: [...ALLOWED_ALGORITHMS],
      clockTolerance: tolerance,
      maxTokenAge: options.maxTokenAgeSec ?? 15 * 60,
      requiredClaims: ["exp", "iat", "nbf", "jti", "aud"],
      currentDate
    }));
  } catch (error) {
    throw translate(error, options.audience);
  }
  if (typeof payload.iat === "number" && payload.iat > currentDate.getTime() / 1e3 + tolerance) {
    throw new GuardError(
      "TOKEN_ISSUED_IN_FUTURE",
      "guard: the OIDC token was issued in the future; check the server clock"
    );
  }
  const missing = REQUIRED_CLAIMS.filter(
    (claim) => typeof payload[claim] !== "string" || payload[claim] === ""
  );
  if (missing.length > 0) {
    throw new GuardError(
      "TOKEN_CLAIMS_MISSING",
      `guard: the OIDC token lacks required claims: ${missing.join(", ")}`
    );
  }
  return payload;
}
function translate(error, audience) {
  if (error instanceof errors_exports.JWTExpired && error.claim === "iat") {
    return new GuardError(
      "TOKEN_TOO_OLD",
      "guard: the OIDC token is older than the server accepts; request a fresh one right before the exchange",
      { cause: error }
    );
  }
  if (error instanceof errors_exports.JWTExpired) {
    return new GuardError(
      "TOKEN_EXPIRED",
      "guard: the OIDC token has expired; request a fresh one right before the exchange",
      { cause: error }
    );
  }
  if (error instanceof errors_exports.JWTClaimValidationFailed) {
    const { claim, reason } = error;
    if (claim === "aud") {
      return reason === "missing" ? new GuardError(
        "TOKEN_AUDIENCE_MISSING",
        `guard: the OIDC token has no audience; request it with audience '${audience}'`,
        { cause: error }
      ) : new GuardError(
        "TOKEN_AUDIENCE_MISMATCH",
        `guard: the OIDC token's audience is not '${audience}'; set the action's 'audience' input to the server's audience`,
        { cause: error }
      );
    }
    if (claim === "nbf")
      return new GuardError(
        "TOKEN_NOT_YET_VALID",
        "guard: the OIDC token is not valid yet (nbf); check the server clock",
        { cause: error }
      );
    if (claim === "iat" && reason === "check_failed") {
      return /in the past/.test(error.message) ? new GuardError(
        "TOKEN_ISSUED_IN_FUTURE",
        "guard: the OIDC token was issued in the future; check the server clock",
        { cause: error }
      ) : new GuardError(
        "TOKEN_TOO_OLD",
        "guard: the OIDC token is older than the server accepts; request a fresh one right before the exchange",
        { cause: error }
      );
    }
    if (reason === "missing")
      return new GuardError("TOKEN_CLAIMS_MISSING", `guard: the OIDC token lacks the '${claim}' claim`, {
        cause: error
      });
    return new GuardError("TOKEN_INVALID", `guard: the OIDC token's '${claim}' claim is not valid`, {
      cause: error
    });
  }
  if (error instanceof errors_exports.JWKSNoMatchingKey || error instanceof errors_exports.JWKSMultipleMatchingKeys) {
    return new GuardError(
      "TOKEN_KEY_UNKNOWN",
      "guard: the OIDC token names a signing key the issuer does not publish",
      { cause: error }
    );
  }
  if (error instanceof errors_exports.JWSSignatureVerificationFailed) {
    return new GuardError("TOKEN_SIGNATURE_INVALID", "guard: the OIDC token's signature does not verify", {
      cause: error
    });
  }
  if (error instanceof errors_exports.JWSInvalid || error instanceof errors_exports.JWTInvalid) {
    return new GuardError("TOKEN_MALFORMED", "guard: the OIDC token is malformed", { cause: error });
  }
  if (error instanceof GuardError) return error;
  if (error instanceof errors_exports.JOSEError) {
    return new GuardError("TOKEN_INVALID", `guard: the OIDC token is not valid (${error.code})`, {
      cause: error
    });
  }
  return new GuardError(
    "SERVER_UNREACHABLE",
    "guard server: could not verify the OIDC token because the issuer's keys could not be loaded; try again",
    { cause: error }
  );
}

// server/policy-source.ts
async function loadServerPolicies(dir) {
  if (!dir) {
    console.warn(
      "guard server: no --policy folder given; every job will be refused (default deny). See docs/policies.md."
    );
    return { policies: [] };
  }
  return loadPolicyDir(dir);
}
function resolveJobPolicy(set, claims, facts = {}) {
  return resolvePolicy(set, claims, facts);
}
function decideStep2(policy, step) {
  return decideStep(policy, step);
}

// server/approvals.ts
async function createApproval(tx, ctx, input) {
  const id = newId(4);
  const expiresAt = new Date(ctx.now().getTime() + input.rules.expireAfterMs);
  await tx.query(
    `insert into approvals (id, kind, session_id, step_id, repository, run_id, run_attempt, actor, triggering_actor,
                            title, body, digest, context, required, reviewers, allow_self_approval, created_at, expires_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
    [
      id,
      input.kind,
      input.sessionId ?? null,
      input.stepId ?? null,
      input.repository,
      input.runId ?? null,
      input.runAttempt ?? null,
      input.actor ?? null,
      input.triggeringActor ?? null,
      input.title,
      input.body,
      input.digest,
      JSON.stringify({ ...input.context ?? {}, ...minPermissionOf(input.rules) }),
      input.rules.min,
      JSON.stringify(input.rules.reviewers),
      input.rules.allowSelfApproval,
      ctx.now(),
      expiresAt
    ]
  );
  await recordEvent(tx, input.sessionId ?? null, "approval.requested", {
    approval: id,
    kind: input.kind,
    step: input.stepId,
    title: input.title,
    digest: input.digest,
    reviewers: input.rules.reviewers,
    min: input.rules.min,
    expires_at: expiresAt.toISOString()
  });
  return id;
}
function minPermissionOf(rules) {
  const minimum = rules.minPermission;
  return minimum ? { minPermission: minimum } : {};
}
async function announceRequested(ctx, id) {
  await ctx.approvalEvents.emit("requested", { approval: await getApproval(ctx, id) });
}
async function getApproval(ctx, id) {
  const row = await loadRow(ctx.db, id);
  if (row.status === "pending" && row.expires_at.getTime() <= ctx.now().getTime()) {
    const expired = await ctx.db.query(
      `update approvals set status = 'expired', decided_at = $2, reason = 'no decision before the approval expired' where id = $1 and status = 'pending'`,
      [id, ctx.now()]
    );
    if (expired.rowCount > 0) {
      await recordEvent(ctx.db, row.session_id, "approval.expired", { approval: id, step: row.step_id });
      await ctx.waiters.announce(id);
      const state = await getApproval(ctx, id);
      await ctx.approvalEvents.emit("decided", { approval: state });
      return state;
    }
    return getApproval(ctx, id);
  }
  return toState(row, await approvalVotes(ctx.db, id));
}
async function approvalVotes(db, id) {
  const votes = await db.query(
    "select reviewer, decision, channel, comment, at from approval_votes where approval_id = $1 order by at, reviewer",
    [id]
  );
  return votes.rows.map((vote) => ({ ...vote, at: vote.at.toISOString() }));
}
function toState(row, votes) {
  return {
    id: row.id,
    kind: row.kind,
    sessionId: row.session_id,
    stepId: row.step_id,
    repository: row.repository,
    runId: row.run_id,
    runAttempt: row.run_attempt,
    actor: row.actor,
    title: row.title,
    body: row.body,
    digest: row.digest,
    context: row.context,
    status: row.status,
    required: row.required,
    reviewers: row.reviewers,
    allowSelfApproval: row.allow_self_approval,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    decidedAt: row.decided_at?.toISOString() ?? null,
    reason: row.reason,
    votes
  };
}
async function updateApprovalContext(ctx, id, patch) {
  await ctx.db.query(`update approvals set context = context || $2::jsonb where id = $1`, [
    id,
    JSON.stringify(patch)
  ]);
}
async function waitForApproval(ctx, id, timeoutMs, signal) {
  const deadline = ctx.now().getTime() + timeoutMs;
  for (; ; ) {
    const stop = new AbortController();
    const remaining = deadline - ctx.now().getTime();
    const changed = ctx.waiters.changed(
      id,
      Math.max(0, remaining),
      signal ? AbortSignal.any([stop.signal, signal]) : stop.signal
    );
    const state = await getApproval(ctx, id);
    if (state.status !== "pending" || remaining <= 0 || signal?.aborted) {
      stop.abort();
      return state;
    }
    const expiryTimer = setTimeout(
      () => stop.abort(),
      Math.max(0, Date.parse(state.expiresAt) - ctx.now().getTime() + 5)
    );
    await changed;
    clearTimeout(expiryTimer);
    stop.abort();
  }
}
async function decideApproval(ctx, id, reviewer, input) {
  if (input.decision !== "approve" && input.decision !== "deny") {
    throw new GuardError("BAD_INPUT", "guard: decision must be 'approve' or 'deny'");
  }
  const decision = input.decision;
  const comment = typeof input.comment === "string" && input.comment.trim() ? input.comment.trim().slice(0, 2e3) : null;
  const state = await getApproval(ctx, id);
  if (state.status !== "pending") {
    throw new GuardError(
      "SESSION_CLOSED",
      `guard: approval ${id} is already ${state.status}; nothing was changed`
    );
  }
  if (!await mayReview(ctx, state, reviewer.login)) {
    throw new GuardError(
      "FORBIDDEN",
      `guard: ${reviewer.login} is not among the reviewers of approval ${id} (${state.reviewers.join(", ") || "none configured"}); the vote was not counted`
    );
  }
  const row = await loadRow(ctx.db, id);
  const login = reviewer.login.toLowerCase();
  const selfApproval = [row.actor, row.triggering_actor].some(
    (who) => who !== null && who.toLowerCase() === login
  );
  if (selfApproval && !row.allow_self_approval && decision === "approve") {
    throw new GuardError(
      "SELF_APPROVAL",
      `guard: ${reviewer.login} started this run and cannot approve it; another reviewer must approve`
    );
  }
  const decided = await ctx.db.transaction(async (tx) => {
    const inserted = await tx.query(
      `insert into approval_votes (approval_id, reviewer, decision, channel, comment, at) values ($1, $2, $3, $4, $5, $6) on conflict do nothing`,
      [id, login, decision, input.channel, comment, ctx.now()]
    );
    if (inserted.rowCount === 0) {
      throw new GuardError(
        "BAD_INPUT",
        `guard: ${reviewer.login} has already voted on approval ${id}; a reviewer counts once`
      );
    }
    await recordEvent(tx, row.session_id, "approval.vote", {
      approval: id,
      step: row.step_id,
      reviewer: login,
      decision,
      channel: input.channel,
      comment
    });
    const counts = await tx.query(
      `select count(*) filter (where decision = 'approve')::int as approvals, count(*) filter (where decision = 'deny')::int as denials
       from approval_votes where approval_id = $1`,
      [id]
    );
    const { approvals = 0, denials = 0 } = counts.rows[0] ?? {};
    const status = denials > 0 ? "denied" : approvals >= row.required ? "approved" : void 0;
    if (!status) return false;
    const reason = status === "denied" ? `denied by ${login}${comment ? `: ${comment}` : ""}` : null;
    await tx.query(
      `update approvals set status = $2, decided_at = $4, reason = $3 where id = $1 and status = 'pending'`,
      [id, status, reason, ctx.now()]
    );
    await recordEvent(tx, row.session_id, `approval.${status}`, { approval: id, step: row.step_id });
    return true;
  });
  await ctx.waiters.announce(id);
  const after = await getApproval(ctx, id);
  if (decided) await ctx.approvalEvents.emit("decided", { approval: after });
  return after;
}
async function listPendingApprovals(ctx, reviewer) {
  const { rows } = await ctx.db.query(
    `select a.*, (select count(*)::int from approval_votes v where v.approval_id = a.id and v.decision = 'approve') as approvals
       from approvals a where a.status = 'pending' and a.expires_at > $1 order by a.created_at`,
    [ctx.now()]
  );
  const mine = [];
  for (const row of rows) {
    if (!await mayReview(ctx, toState(row, []), reviewer.login)) continue;
    mine.push({
      id: row.id,
      kind: row.kind,
      repository: row.repository,
      runId: row.run_id,
      runAttempt: row.run_attempt,
      actor: row.actor,
      title: row.title,
      body: row.body,
      digest: row.digest,
      required: row.required,
      approvals: row.approvals,
      expiresAt: row.expires_at.toISOString()
    });
  }
  return mine;
}
async function mayReview(ctx, approval, login) {
  const minimum = approval.context.minPermission;
  if (minimum && !await holds(ctx, approval.repository, login, minimum)) return false;
  if (approval.reviewers.length === 0) return holds(ctx, approval.repository, login, "write");
  const wanted = login.toLowerCase();
  for (const entry of approval.reviewers) {
    const name = entry.replace(/^@/, "");
    if (!name.includes("/")) {
      if (name.toLowerCase() === wanted) return true;
      continue;
    }
    const [org, team] = name.split("/");
    if (org && team && ctx.reviewerDirectory && await ctx.reviewerDirectory.isTeamMember(org, team, login))
      return true;
  }
  return false;
}
async function holds(ctx, repository, login, minimum) {
  if (!ctx.reviewerDirectory) return false;
  try {
    return await ctx.reviewerDirectory.hasPermission(repository, login, minimum);
  } catch {
    return false;
  }
}
async function loadRow(db, id) {
  if (!/^[0-9a-f]{8}$/.test(id))
    throw new GuardError("NOT_FOUND", `guard: '${id}' is not an approval id (8 hex characters)`);
  const { rows } = await db.query("select * from approvals where id = $1", [id]);
  const row = rows[0];
  if (!row) throw new GuardError("NOT_FOUND", `guard: approval ${id} does not exist`);
  return row;
}

// server/deployment-link.ts
async function linkDeploymentApproval(tx, sessionId, claims) {
  if (!claims.environment) return void 0;
  const { rows } = await tx.query(
    `update approvals set session_id = $1
      where id = (select id from approvals
                   where kind = 'deployment' and repository = $2 and run_id = $3
                     and context->>'environment' = $4 and status = 'approved' and session_id is null
                   order by decided_at desc, id limit 1)
      returning id`,
    [sessionId, claims.repository, claims.run_id, claims.environment]
  );
  return rows[0]?.id;
}
async function deploymentRecord(tx, sessionId) {
  const { rows } = await tx.query(
    `select id, context, status, decided_at from approvals
      where kind = 'deployment' and session_id = $1 order by decided_at desc, id limit 1`,
    [sessionId]
  );
  const row = rows[0];
  if (!row) return null;
  const deploymentId = row.context.deployment_id;
  return {
    approval: row.id,
    environment: text(row.context.environment),
    ...typeof deploymentId === "number" ? { deploymentId } : {},
    sha: text(row.context.sha),
    decision: row.status === "approved" ? "approved" : "rejected",
    decidedAt: row.decided_at?.toISOString() ?? "",
    approvals: (await approvalVotes(tx, row.id)).map(approvalRecord)
  };
}
function text(value) {
  return typeof value === "string" ? value : "";
}

// server/audit/ledger-store.ts
async function appendToLedger(tx, fields, key, now) {
  await tx.query("select pg_advisory_xact_lock(724213)");
  const last = (await tx.query("select * from ledger order by seq desc limit 1")).rows[0];
  const entry = appendLedgerEntry(last ? { seq: Number(last.seq), hash: last.hash } : void 0, fields, now);
  await tx.query(
    `insert into ledger (seq, kind, session_id, repository, manifest_sha256, through_seq, through_hash, reason, at, prev, hash)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      entry.seq,
      entry.kind,
      entry.sessionId ?? null,
      entry.repository ?? null,
      entry.manifestSha256 ?? null,
      entry.throughSeq ?? null,
      entry.throughHash ?? null,
      entry.reason ?? null,
      entry.at,
      entry.prev,
      entry.hash
    ]
  );
  const checkpoint = signCheckpoint(entry, key, now);
  await tx.query("insert into ledger_checkpoints (seq, hash, at, envelope) values ($1, $2, $3, $4)", [
    checkpoint.seq,
    checkpoint.hash,
    checkpoint.at,
    JSON.stringify(checkpoint.envelope)
  ]);
  return entry;
}
function toEntry(row) {
  const entry = {
    seq: Number(row.seq),
    kind: row.kind,
    at: row.at,
    prev: row.prev,
    hash: row.hash
  };
  if (row.session_id !== null) entry.sessionId = row.session_id;
  if (row.repository !== null) entry.repository = row.repository;
  if (row.manifest_sha256 !== null) entry.manifestSha256 = row.manifest_sha256;
  if (row.through_seq !== null) entry.throughSeq = Number(row.through_seq);
  if (row.through_hash !== null) entry.throughHash = row.through_hash;
  if (row.reason !== null) entry.reason = row.reason;
  return entry;
}
async function exportLedger(db, options) {
  const params = [];
  const where = [];
  if (options.since) {
    params.push(options.since);
    where.push(`at >= $${params.length}`);
  }
  if (options.repository) {
    params.push(options.repository);
    where.push(`(repository = $${params.length} or kind = 'retention')`);
  }
  const rows = (await db.query(
    `select * from ledger ${where.length ? `where ${where.join(" and ")}` : ""} order by seq`,
    params
  )).rows.map(toEntry);
  const seqs = rows.map((row) => row.seq);
  const checkpoints = seqs.length ? (await db.query("select * from ledger_checkpoints where seq >= $1 and seq <= $2 order by seq", [
    Math.min(...seqs),
    Math.max(...seqs)
  ])).rows.map((row) => ({
    seq: Number(row.seq),
    hash: row.hash,
    at: row.at,
    envelope: row.envelope
  })) : [];
  return [...rows, ...checkpoints].map((item) => ledgerExportLine(item)).join("");
}
async function applyRetention(db, days, key, now) {
  return db.transaction(async (tx) => {
    const cutoff = new Date(now.getTime() - days * 864e5).toISOString();
    const last = (await tx.query(
      `select * from ledger where at < $1 and kind = 'session' order by seq desc limit 1`,
      [cutoff]
    )).rows[0];
    if (!last) return 0;
    await appendToLedger(
      tx,
      {
        kind: "retention",
        throughSeq: Number(last.seq),
        throughHash: last.hash,
        reason: `retention: older than ${days} days`
      },
      key,
      now
    );
    await tx.query(`select set_config('guard.retention', 'on', true)`);
    const deleted = await tx.query("delete from ledger where seq <= $1", [last.seq]);
    await tx.query("delete from ledger_checkpoints where seq <= $1", [last.seq]);
    return deleted.rowCount;
  });
}

// server/audit/manifest-check.ts
function compareManifest(manifest, session) {
  const problems = [];
  if (manifest.sessionId !== session.id)
    problems.push(`manifest names session ${manifest.sessionId}, this is session ${session.id}`);
  if (manifest.job !== session.job)
    problems.push(`manifest names job '${manifest.job}', the session is for job '${session.job}'`);
  if (canonicalJson(manifest.identity) !== canonicalJson(session.claims))
    problems.push("manifest identity differs from the job's verified OIDC claims");
  const byN = new Map(manifest.steps.map((step) => [step.n, step]));
  for (const step of session.steps) {
    const listed = byN.get(step.seq);
    byN.delete(step.seq);
    if (!listed) {
      problems.push(
        `step ${step.seq} ('${step.name}') ran according to the server but is missing from the manifest`
      );
      continue;
    }
    if (listed.scriptSha256 !== step.scriptSha256)
      problems.push(`step ${step.seq}: script sha256 differs from the one the server judged`);
    if (step.castSha256 !== null && listed.castSha256 !== step.castSha256)
      problems.push(`step ${step.seq}: recording sha256 differs from the one reported when the step ended`);
    if (step.status === "finished" && listed.exitCode !== step.exitCode)
      problems.push(
        `step ${step.seq}: exit code ${listed.exitCode} differs from the reported ${step.exitCode}`
      );
    const approvers = listed.approvals.filter((vote) => vote.decision === "approved").map((vote) => vote.reviewer.toLowerCase()).sort();
    if (approvers.join(",") !== [...step.approvedBy].sort().join(",")) {
      problems.push(
        `step ${step.seq}: approvers [${approvers.join(", ")}] differ from the server's [${step.approvedBy.join(", ")}]`
      );
    }
  }
  for (const extra of byN.values())
    problems.push(`step ${extra.n} ('${extra.name}') is in the manifest but the server never judged it`);
  const deployment = compareDeployment(manifest.deployment ?? null, session.deployment);
  if (deployment !== void 0) problems.push(deployment);
  return problems;
}
function compareDeployment(listed, server) {
  if (server === null) {
    return listed === null ? void 0 : `the manifest names deployment approval ${listed.approval}, which the server did not link to this job`;
  }
  if (listed === null)
    return `the manifest leaves out deployment approval ${server.approval} (${server.environment}) that let this job start`;
  if (canonicalJson(listed) !== canonicalJson(server))
    return `the manifest's deployment approval ${listed.approval} differs from the server's record of it`;
  return void 0;
}

// server/audit/seal-evidence.ts
async function sealEvidence(ctx, tx, keys, session, manifestText) {
  const bytes = Buffer.from(manifestText, "utf8");
  const manifestSha256 = sha256Hex(bytes);
  const manifest = parseManifest(bytes);
  if (typeof manifest === "string")
    throw new GuardError("BAD_INPUT", `guard: the audit manifest cannot be read: ${manifest}`);
  const problems = compareManifest(manifest, {
    id: session.id,
    job: session.job,
    claims: session.claims,
    steps: await serverSteps(tx, session.id),
    deployment: await deploymentRecord(tx, session.id)
  });
  const now = ctx.now();
  const envelope = problems.length === 0 ? signManifest(bytes, keys.active, now) : null;
  if (problems.length > 0)
    await recordEvent(tx, session.id, "security.evidence-mismatch", {
      manifest_sha256: manifestSha256,
      problems
    });
  const entry = await appendToLedger(
    tx,
    { kind: "session", sessionId: session.id, repository: session.repository, manifestSha256 },
    keys.active,
    now
  );
  await recordEvent(tx, session.id, "evidence.sealed", {
    manifest_sha256: manifestSha256,
    signed: envelope !== null,
    key: keys.active.keyId,
    ledger_seq: entry.seq
  });
  return { manifestSha256, envelope, ledger: { seq: entry.seq, hash: entry.hash }, problems };
}
async function serverSteps(tx, sessionId) {
  const { rows } = await tx.query(
    "select id, seq, name, script_sha256, decision, status, exit_code, cast_sha256 from steps where session_id = $1 order by seq",
    [sessionId]
  );
  const votes = await tx.query(
    `select a.step_id, v.reviewer from approvals a join approval_votes v on v.approval_id = a.id
      where a.session_id = $1 and a.kind = 'step' and a.status = 'approved' and v.decision = 'approve'`,
    [sessionId]
  );
  return rows.map((row) => ({
    seq: row.seq,
    name: row.name,
    scriptSha256: row.script_sha256,
    decision: row.decision,
    status: row.status,
    exitCode: row.exit_code,
    castSha256: row.cast_sha256,
    approvedBy: votes.rows.filter((vote) => vote.step_id === row.id).map((vote) => vote.reviewer)
  }));
}

// server/sessions.ts
var JOB_NAME = /^[A-Za-z0-9_.-]{1,100}$/;
async function openSession(ctx, input) {
  if (typeof input.token !== "string" || input.token === "") {
    throw new GuardError(
      "TOKEN_MISSING",
      "guard: no OIDC token was sent; the workflow needs `permissions: id-token: write`"
    );
  }
  if (typeof input.job !== "string" || !JOB_NAME.test(input.job)) {
    throw new GuardError("BAD_INPUT", "guard: the job id (GITHUB_JOB) is missing or malformed");
  }
  let claims;
  try {
    claims = await verifyJobToken(input.token, {
      issuers: ctx.issuers,
      audience: ctx.config.audience,
      now: ctx.now
    });
  } catch (error) {
    await recordRefusal(ctx, "token", error);
    throw error;
  }
  const facts = ctx.jobFacts ? await ctx.jobFacts(claims) : {};
  const policy = resolveJobPolicy(ctx.policies, claims, facts);
  if (!policy.ok) {
    const pullRequest = /^pull_request/.test(claims.event_name) && policy.unmatched.length > 0 && policy.unmatched.every((u) => u.claims.join() === "event_name");
    const refusal = new GuardError(pullRequest ? "POLICY_FORK_DENIED" : "POLICY_DENIED", policy.reason);
    await recordRefusal(ctx, "policy", refusal, claims);
    throw refusal;
  }
  const credential = newCredential("gs");
  const id = newId();
  const expiresAt = new Date(ctx.now().getTime() + ctx.config.sessionTtlSec * 1e3);
  const deployment = await ctx.db.transaction(async (tx) => {
    const jti = claims.jti ?? "";
    const spent = await tx.query(
      "insert into used_tokens (jti, expires_at) values ($1, to_timestamp($2)) on conflict do nothing",
      [jti, claims.exp ?? 0]
    );
    if (spent.rowCount === 0) {
      throw new GuardError(
        "TOKEN_REPLAYED",
        "guard: this OIDC token was already exchanged; request a fresh token for each exchange"
      );
    }
    await tx.query(
      `insert into sessions (id, credential_sha256, claims, repository, repository_id, run_id, run_attempt, job, policy, expires_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        id,
        sha256Hex(credential),
        JSON.stringify(claims),
        claims.repository,
        claims.repository_id,
        claims.run_id,
        claims.run_attempt,
        input.job,
        JSON.stringify(policy.policy),
        expiresAt
      ]
    );
    await recordEvent(tx, id, "session.opened", {
      repository: claims.repository,
      run_id: claims.run_id,
      run_attempt: claims.run_attempt,
      job: input.job,
      actor: claims.actor,
      policy: policy.policy.name
    });
    const linked = await linkDeploymentApproval(tx, id, claims);
    if (linked === void 0) return null;
    await recordEvent(tx, id, "deployment.linked", { approval: linked, environment: claims.environment });
    return deploymentRecord(tx, id);
  }).catch(async (error) => {
    if (error instanceof GuardError && error.code === "TOKEN_REPLAYED")
      await recordRefusal(ctx, "replay", error, claims);
    throw error;
  });
  ctx.log(
    `session ${id} opened for ${claims.repository} run ${claims.run_id}/${claims.run_attempt} job ${input.job}`
  );
  return {
    id,
    credential,
    expiresAt: expiresAt.toISOString(),
    policy: policy.policy,
    claims,
    deployment
  };
}
async function authenticateSession(ctx, authorization, run) {
  const credential = bearer(authorization);
  if (!credential?.startsWith("gs_")) {
    throw new GuardError(
      "SESSION_INVALID",
      "guard: this call needs the session credential (GUARD_SESSION_TOKEN) as a bearer token"
    );
  }
  const { rows } = await ctx.db.query("select * from sessions where credential_sha256 = $1", [
    sha256Hex(credential)
  ]);
  const session = rows[0];
  if (!session)
    throw new GuardError(
      "SESSION_INVALID",
      "guard: the session credential is not known to this server (revoked, or from another server)"
    );
  if (session.status === "revoked")
    throw new GuardError(
      "SESSION_INVALID",
      `guard: session ${session.id} was revoked by the platform team; ask them why, then re-run the job`
    );
  if (session.status !== "open")
    throw new GuardError(
      "SESSION_CLOSED",
      `guard: session ${session.id} is closed; a closed session runs no more steps`
    );
  if (run !== `${session.run_id}/${session.run_attempt}/${session.job}`) {
    await recordEvent(ctx.db, session.id, "security.refused", {
      stage: "session",
      code: "SESSION_WRONG_RUN",
      presented_run: run ?? null
    }).catch(() => {
    });
    throw new GuardError(
      "SESSION_WRONG_RUN",
      "guard: this session credential belongs to another run or job; each job opens its own session"
    );
  }
  if (session.expires_at.getTime() <= ctx.now().getTime()) {
    throw new GuardError(
      "SESSION_INVALID",
      `guard: session ${session.id} has expired; re-run the job to open a new one`
    );
  }
  await refreshExpiry(ctx, session);
  return session;
}
async function refreshExpiry(ctx, session) {
  const now = ctx.now().getTime();
  const ttl = ctx.config.sessionTtlSec * 1e3;
  if (session.expires_at.getTime() - now > ttl / 2) return;
  const next = new Date(
    Math.min(now + ttl, session.created_at.getTime() + (ctx.config.sessionMaxSec ?? 24 * 3600) * 1e3)
  );
  if (next.getTime() <= session.expires_at.getTime()) return;
  await ctx.db.query("update sessions set expires_at = $2 where id = $1", [session.id, next]);
  session.expires_at = next;
}
async function revokeSession(db, id, reason) {
  return db.transaction(async (tx) => {
    const updated = await tx.query(
      `update sessions set status = 'revoked', closed_at = now() where id = $1 and status = 'open'`,
      [id]
    );
    if (updated.rowCount === 0) return false;
    await tx.query(
      `update approvals set status = 'expired', decided_at = now(), reason = 'session revoked' where session_id = $1 and status = 'pending'`,
      [id]
    );
    await recordEvent(tx, id, "session.revoked", { reason });
    return true;
  });
}
async function closeSession(ctx, session, input) {
  if (input.manifest !== void 0 && typeof input.manifest !== "string") {
    throw new GuardError("BAD_INPUT", "guard: manifest must be the text of manifest.json");
  }
  const manifest = input.manifest;
  const keys = manifest === void 0 ? void 0 : await ensureKeySet(ctx.db, ctx.secrets);
  return ctx.db.transaction(async (tx) => {
    const sealed = manifest === void 0 || !keys ? null : await sealEvidence(ctx, tx, keys, session, manifest);
    await tx.query(
      `update sessions set status = 'closed', closed_at = $3, manifest_sha256 = $2 where id = $1`,
      [session.id, sealed?.manifestSha256 ?? null, ctx.now()]
    );
    await tx.query(
      `update approvals set status = 'expired', decided_at = $2, reason = 'session closed' where session_id = $1 and status = 'pending'`,
      [session.id, ctx.now()]
    );
    await recordEvent(tx, session.id, "session.closed", { manifest_sha256: sealed?.manifestSha256 ?? null });
    return { closed: true, sealed };
  });
}
function bearer(authorization) {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
  return match?.[1];
}
async function recordRefusal(ctx, stage, error, claims) {
  const code = error instanceof GuardError ? error.code : "INTERNAL";
  const who = claims ? { repository: claims.repository, run_id: claims.run_id, actor: claims.actor, ref: claims.ref } : {};
  await recordEvent(ctx.db, null, "security.refused", { stage, code, ...who }).catch(() => {
  });
  ctx.log(`refused (${stage}): ${code}${claims ? ` ${claims.repository} run ${claims.run_id}` : ""}`);
}

// server/runner/runner-credentials.ts
import { randomBytes } from "node:crypto";
var NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;
var LABEL = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/;
async function addRunner(db, name, labels) {
  if (!NAME.test(name))
    throw new GuardError(
      "BAD_INPUT",
      `guard: '${name}' is not a runner name (letters, digits, '_', '.', '-'; up to 100)`
    );
  const bad = labels.filter((label) => !LABEL.test(label));
  if (bad.length > 0) throw new GuardError("BAD_INPUT", `guard: not a runner label: ${bad.join(", ")}`);
  const credential = `${RUNNER_CREDENTIAL_PREFIX}${randomBytes(32).toString("base64url")}`;
  const { rows } = await db.query(
    `insert into runners (id, name, labels, credential_sha256) values ($1, $2, $3, $4)
     on conflict (name) do update set labels = excluded.labels, credential_sha256 = excluded.credential_sha256,
       created_at = now(), disabled_at = null
     returning id`,
    [newId(), name, JSON.stringify([...new Set(labels)]), sha256Hex(credential)]
  );
  const id = rows[0]?.id ?? "";
  return { runner: { id, name, labels: [...new Set(labels)] }, credential };
}
async function disableRunner(db, name) {
  const updated = await db.query(
    "update runners set disabled_at = now() where name = $1 and disabled_at is null",
    [name]
  );
  return updated.rowCount > 0;
}
async function authenticateRunner(db, authorization) {
  const credential = bearer(authorization);
  if (!credential?.startsWith(RUNNER_CREDENTIAL_PREFIX)) {
    throw new GuardError(
      "FORBIDDEN",
      "guard: runner routes need a runner credential (see `guard runner add` and `guard runner-hook install`)"
    );
  }
  const { rows } = await db.query(
    "select id, name, labels from runners where credential_sha256 = $1 and disabled_at is null",
    [sha256Hex(credential)]
  );
  const row = rows[0];
  if (!row)
    throw new GuardError(
      "FORBIDDEN",
      "guard: the runner credential is not known to this server (never registered, re-keyed or disabled); re-run `guard runner add` and `guard runner-hook install`"
    );
  return row;
}

export {
  ensureKeySet,
  rotateKeys,
  publicKeys,
  recordEvent,
  loadServerPolicies,
  resolveJobPolicy,
  decideStep2 as decideStep,
  createApproval,
  announceRequested,
  getApproval,
  updateApprovalContext,
  waitForApproval,
  decideApproval,
  listPendingApprovals,
  exportLedger,
  applyRetention,
  openSession,
  authenticateSession,
  revokeSession,
  closeSession,
  bearer,
  addRunner,
  disableRunner,
  authenticateRunner
};

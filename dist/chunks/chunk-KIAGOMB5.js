import { createRequire as __guardCreateRequire } from 'node:module'; import { fileURLToPath as __guardFileURLToPath } from 'node:url'; import { dirname as __guardDirname } from 'node:path'; const require = __guardCreateRequire(import.meta.url); const __guard_filename = __guardFileURLToPath(import.meta.url); const __guard_dirname = __guardDirname(__guard_filename);
import {
  DEFAULTS,
  MASKING_PACKS,
  MATCH_CLAIMS,
  globMatch,
  globsMayOverlap,
  permissionRank
} from "./chunk-RUVNZ2BJ.js";

// policies/match.ts
import { createHash } from "node:crypto";

// policies/claim-match.ts
var CASE_INSENSITIVE = /* @__PURE__ */ new Set(["repository", "repository_owner", "actor", "environment"]);
function claimValue(claims, claim) {
  const value = claims[claim];
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  return void 0;
}
function matchClaims(match, claims) {
  const out = [];
  for (const claim of MATCH_CLAIMS) {
    const patterns = match[claim];
    if (!patterns) continue;
    const value = claimValue(claims, claim);
    const ignoreCase = CASE_INSENSITIVE.has(claim);
    if (value !== void 0 && patterns.some((p) => globMatch(p, value, { ignoreCase }))) continue;
    const wanted = patterns.map((p) => JSON.stringify(p)).join(" or ");
    out.push({
      claim,
      detail: value === void 0 ? `${claim} is absent from the token, policy wants ${wanted}` : `${claim} ${JSON.stringify(value)} does not match ${wanted}`
    });
  }
  return out;
}
function ownerOf(repositoryPattern) {
  const slash = repositoryPattern.indexOf("/");
  return slash > 0 ? repositoryPattern.slice(0, slash) : void 0;
}
function anyOverlap(a, b, ignoreCase) {
  return a.some((x) => b.some((y) => globsMayOverlap(x, y, { ignoreCase })));
}
function matchesMayOverlap(a, b) {
  for (const claim of MATCH_CLAIMS) {
    const pa = a[claim];
    const pb = b[claim];
    if (pa && pb && !anyOverlap(pa, pb, CASE_INSENSITIVE.has(claim))) return false;
  }
  const ownersOf = (m) => {
    if (m.repository_owner) return m.repository_owner;
    const owners = m.repository?.map(ownerOf);
    return owners && owners.every((o) => o !== void 0) ? owners : void 0;
  };
  const oa = ownersOf(a);
  const ob = ownersOf(b);
  if (oa && ob && !anyOverlap(oa, ob, true)) return false;
  return true;
}

// policies/duration.ts
var UNIT_MS = { d: 864e5, h: 36e5, m: 6e4, s: 1e3 };
var DURATION = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;
function parseDuration(text) {
  const m = DURATION.exec(text.trim());
  if (!m || text.trim() === "") return void 0;
  const [, d, h, min, s] = m;
  return Number(d ?? 0) * UNIT_MS.d + Number(h ?? 0) * UNIT_MS.h + Number(min ?? 0) * UNIT_MS.m + Number(s ?? 0) * UNIT_MS.s;
}
function formatDuration(ms) {
  let rest = Math.round(ms / 1e3) * 1e3;
  let out = "";
  for (const [unit, size] of Object.entries(UNIT_MS)) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out || "0s";
}

// policies/match.ts
var PULL_REQUEST_EVENTS = /* @__PURE__ */ new Set(["pull_request", "pull_request_review", "pull_request_review_comment"]);
function resolvePolicy(set, claims, context = {}) {
  const matched = [];
  const unmatched = [];
  for (const policy of set.policies) {
    const misses = matchClaims(policy.match, claims);
    if (misses.length === 0) matched.push(policy);
    else
      unmatched.push({
        policy: policy.name,
        claims: misses.map((m) => m.claim),
        details: misses.map((m) => m.detail)
      });
  }
  const job = describeJob(claims);
  if (matched.length === 0) {
    const nearest = [...unmatched].sort((a, b) => a.claims.length - b.claims.length).slice(0, 3);
    const why = nearest.map((u) => `${u.policy}: ${u.details.join("; ")}`).join(" | ");
    const reason = set.policies.length === 0 ? `guard: no policy governs ${job}: the server has no policies loaded. Ask the platform team to add one.` : `guard: no policy governs ${job}, so it gets no session (default deny). Claims that did not match: ${why}. Ask the platform team for a policy that matches this job, or run it where an existing policy applies.`;
    return { ok: false, reason, unmatched };
  }
  const event = claimValue(claims, "event_name") ?? "";
  const refusals = [];
  if (PULL_REQUEST_EVENTS.has(event)) {
    const fork = context.pullRequestFromFork ?? true;
    if (fork) {
      const why = context.pullRequestFromFork === void 0 ? "it is not known whether the pull request comes from a fork, so guard treats it as one" : "the pull request comes from a fork";
      for (const p of matched.filter((m) => m.allowForks !== true)) {
        refusals.push({
          policy: p.name,
          claims: ["event_name"],
          details: [`${event}: ${why}; the policy does not set allow-forks: true`]
        });
      }
    }
  }
  if (event === "pull_request_target") {
    for (const p of matched.filter((m) => m.allowPullRequestTarget !== true)) {
      refusals.push({
        policy: p.name,
        claims: ["event_name"],
        details: [
          "pull_request_target runs with the base repository's rights on a pull request's code; the policy does not set allow-pull-request-target: true"
        ]
      });
    }
  }
  if (refusals.length > 0) {
    const reason = `guard: ${job} gets no session: ${refusals.map((r) => `${r.policy}: ${r.details.join("; ")}`).join(" | ")}. Every policy that governs the job must allow this explicitly.`;
    return { ok: false, reason, unmatched: refusals };
  }
  return { ok: true, policy: layer(matched) };
}
function describeJob(claims) {
  const v = (c) => claimValue(claims, c) ?? "-";
  return `the job (repository ${v("repository")} #${v("repository_id")}, ref ${v("ref")}, environment ${v("environment")}, event ${v("event_name")}, workflow ${v("job_workflow_ref") === "-" ? v("workflow_ref") : v("job_workflow_ref")})`;
}
function layer(matched) {
  const ordered = [...matched].sort(
    (a, b) => a.kind === b.kind ? a.name < b.name ? -1 : 1 : a.kind === "organization" ? -1 : 1
  );
  const explain = [];
  const said = (pick, show) => ordered.map((p) => {
    const v = pick(p);
    return `${p.name}: ${v === void 0 ? "not set" : show(v)}`;
  }).join(", ");
  const min = Math.max(...ordered.map((p) => p.approvals.min ?? DEFAULTS.min));
  explain.push(
    `approvals.min = ${min}: the highest of (${said((p) => p.approvals.min, String)}; default ${DEFAULTS.min})`
  );
  const expireAfterMs = Math.min(...ordered.map((p) => p.approvals.expireAfterMs ?? DEFAULTS.expireAfterMs));
  explain.push(
    `approvals.expire-after = ${formatDuration(expireAfterMs)}: the shortest of (${said((p) => p.approvals.expireAfterMs, formatDuration)}; default ${formatDuration(DEFAULTS.expireAfterMs)})`
  );
  const allowSelfApproval = ordered.every((p) => p.approvals.allowSelfApproval === true);
  explain.push(
    `approvals.allow-self-approval = ${allowSelfApproval}: true only if every policy says true (${said((p) => p.approvals.allowSelfApproval, String)})`
  );
  let minPermission;
  for (const p of ordered) {
    const v = p.approvals.minPermission;
    if (v !== void 0 && (minPermission === void 0 || permissionRank(v) > permissionRank(minPermission)))
      minPermission = v;
  }
  explain.push(
    minPermission !== void 0 ? `approvals.min-permission = ${minPermission}: the highest of (${said((p) => p.approvals.minPermission, String)})` : "approvals.min-permission = not set: no policy sets one, so reviewers need no repository permission beyond the reviewer list"
  );
  const pullRequestReviewCounts = ordered.every((p) => p.approvals.pullRequestReviewCounts === true);
  explain.push(
    `approvals.pull-request-review-counts = ${pullRequestReviewCounts}: true only if every policy says true (${said((p) => p.approvals.pullRequestReviewCounts, String)})`
  );
  const repoReviewers = ordered.filter((p) => p.kind === "repository" && p.approvals.reviewers?.length);
  const orgReviewers = ordered.filter((p) => p.kind === "organization" && p.approvals.reviewers?.length);
  const reviewerSource = repoReviewers.length > 0 ? repoReviewers : orgReviewers;
  const reviewers = [...new Set(reviewerSource.flatMap((p) => p.approvals.reviewers ?? []))];
  explain.push(
    reviewers.length > 0 ? `approvals.reviewers = ${reviewers.join(", ")}: from ${reviewerSource.map((p) => p.name).join(", ")} (${repoReviewers.length > 0 ? "repository" : "organization"} layer)` : "approvals.reviewers = any user with write access to the repository: no policy names reviewers"
  );
  const packSet = new Set(ordered.flatMap((p) => p.masking.packs ?? DEFAULTS.packs));
  const packs = MASKING_PACKS.filter((p) => packSet.has(p));
  explain.push(
    `masking.packs = ${packs.join(", ")}: the union of (${said(
      (p) => p.masking.packs,
      (v) => v.join(", ") || "none"
    )}; not set means all packs)`
  );
  const columns = [...new Set(ordered.flatMap((p) => p.masking.columns))];
  const rules = [];
  const seen = /* @__PURE__ */ new Set();
  for (const r of ordered.flatMap((p) => p.masking.rules)) {
    const key = `${r.name}\0${r.pattern}\0${r.flags ?? ""}`;
    if (!seen.has(key)) rules.push(r);
    seen.add(key);
  }
  explain.push(
    `masking.columns and masking.rules: the union of every policy's (${columns.length} columns, ${rules.length} rules)`
  );
  const recording = ordered.some((p) => (p.recording ?? DEFAULTS.recording) === "strict") ? "strict" : "best_effort";
  explain.push(
    `recording = ${recording}: strict unless every policy says best_effort (${said((p) => p.recording, String)}; default strict)`
  );
  const runners = layerRunners(ordered, explain, said);
  const steps = ordered.filter((p) => p.steps.length > 0).map((p) => ({ policy: p.name, kind: p.kind, source: p.source, rules: p.steps }));
  const sql = ordered.filter((p) => p.sql.length > 0).map((p) => ({ policy: p.name, kind: p.kind, source: p.source, rules: p.sql }));
  explain.push(
    "steps and sql: each policy's rules are evaluated first-match within that policy; the strictest decision across policies wins"
  );
  const version = `sha256:${createHash("sha256").update(ordered.map((p) => `${p.name}=${p.version}`).join("\n")).digest("hex")}`;
  return {
    name: ordered.map((p) => p.name).join(" + "),
    version,
    sources: ordered.map((p) => p.source),
    approvals: {
      reviewers,
      min,
      expireAfterMs,
      allowSelfApproval,
      ...minPermission !== void 0 ? { minPermission } : {},
      pullRequestReviewCounts
    },
    masking: { packs, columns, rules },
    recording,
    runners,
    steps,
    sql,
    explain
  };
}
function layerRunners(ordered, explain, said) {
  const gates = (field) => ordered.flatMap((p) => {
    const patterns = p.runners?.[field];
    if (patterns === void 0) return [];
    const wellFormed = Array.isArray(patterns) && patterns.every((x) => typeof x === "string" && x !== "");
    return [{ policy: p.name, source: p.source, patterns: wellFormed ? patterns : [] }];
  });
  const labels = gates("labels");
  const workflows = gates("workflows");
  const describe = (field, list, what) => list.length > 0 ? `runners.${field}: ${what} satisfy every one of (${list.map((g) => `${g.policy}: ${g.patterns.join(" or ")}`).join("; ")})` : `runners.${field}: any (no policy lists ${field})`;
  explain.push(
    describe("labels", labels, "the runner's labels must"),
    describe("workflows", workflows, "the job's job_workflow_ref or workflow_ref must")
  );
  const requireGuard = ordered.some((p) => p.runners?.requireGuard === true);
  explain.push(
    `runners.require-guard = ${requireGuard}: true if any policy says true (${said((p) => p.runners?.requireGuard, String)}; default false)`
  );
  const jobApproval = ordered.some((p) => p.runners?.jobApproval === true);
  explain.push(
    `runners.job-approval = ${jobApproval}: true if any policy says true (${said((p) => p.runners?.jobApproval, String)}; default false)`
  );
  return { labels, workflows, requireGuard, jobApproval };
}

export {
  parseDuration,
  formatDuration,
  claimValue,
  matchClaims,
  matchesMayOverlap,
  resolvePolicy,
  layer
};

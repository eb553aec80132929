import { createRequire as __guardCreateRequire } from 'node:module'; import { fileURLToPath as __guardFileURLToPath } from 'node:url'; import { dirname as __guardDirname } from 'node:path'; const require = __guardCreateRequire(import.meta.url); const __guard_filename = __guardFileURLToPath(import.meta.url); const __guard_dirname = __guardDirname(__guard_filename);
import {
  claimValue,
  formatDuration,
  matchClaims,
  resolvePolicy
} from "./chunk-KIAGOMB5.js";
import {
  MATCH_CLAIMS
} from "./chunk-RUVNZ2BJ.js";

// policies/explain.ts
function describeStepWhen(w) {
  const parts = [];
  if (w.kind) parts.push(`kind ${w.kind.join("|")}`);
  if (w.name) parts.push(`name ${w.name.join("|")}`);
  if (w.target) parts.push(`target ${w.target.join("|")}`);
  if (w.scriptMatches !== void 0) parts.push(`script matches /${w.scriptMatches}/`);
  return parts.length > 0 ? parts.join(", ") : "every step";
}
function describeSqlWhen(w) {
  const parts = [];
  if (w.statement) parts.push(w.statement.join("|"));
  if (w.withoutWhere !== void 0) parts.push(w.withoutWhere ? "without WHERE" : "with WHERE");
  if (w.tables) parts.push(`tables ${w.tables.join("|")}`);
  if (w.target) parts.push(`database ${w.target.join("|")}`);
  if (w.textMatches !== void 0) parts.push(`text matches /${w.textMatches}/i`);
  return parts.length > 0 ? parts.join(", ") : "every statement";
}
function describeRules(policy) {
  const lines = [];
  const group = (field, groups, describe) => {
    for (const g of groups) {
      g.rules.forEach((r, i) => {
        lines.push(
          `${g.source} ${field}[${i}]: ${r.action} when ${describe(r)}${r.reason ? ` (${r.reason})` : ""}`
        );
      });
    }
  };
  group("steps", policy.steps, (r) => describeStepWhen(r.when));
  group("sql", policy.sql, (r) => describeSqlWhen(r.when));
  return lines;
}
function describeRunners(policy) {
  const r = policy.runners;
  const gates = (list) => list.length > 0 ? list.map((g) => `${g.patterns.join("|")} (${g.policy})`).join(" and ") : "any";
  return `runners: labels ${gates(r.labels)}; workflows ${gates(r.workflows)}; require guard ${r.requireGuard ? "yes" : "no"}; job approval ${r.jobApproval ? "yes" : "no"}`;
}
function explain(set, input) {
  const out = [];
  const c = input.claims;
  out.push("Job claims:");
  for (const claim of MATCH_CLAIMS) out.push(`  ${claim}: ${claimValue(c, claim) ?? "(absent)"}`);
  if (input.context?.pullRequestFromFork !== void 0)
    out.push(`  (pull request from a fork: ${input.context.pullRequestFromFork})`);
  out.push("", "Policies:");
  for (const p2 of set.policies) {
    const misses = matchClaims(p2.match, c);
    const head = `${p2.name} (${p2.kind}, ${p2.source})`;
    if (misses.length === 0) {
      const why = MATCH_CLAIMS.filter((k) => p2.match[k]).map(
        (k) => `${k} ${JSON.stringify(claimValue(c, k))} matches ${p2.match[k]?.map((x) => JSON.stringify(x)).join(" or ")}`
      );
      out.push(`  MATCH    ${head}: ${why.join("; ")}`);
    } else {
      out.push(`  NO MATCH ${head}: ${misses.map((m) => m.detail).join("; ")}`);
    }
  }
  const r = resolvePolicy(set, c, input.context);
  out.push("");
  if (!r.ok) {
    out.push("Decision: no session.", r.reason);
    return { ok: false, text: `${out.join("\n")}
` };
  }
  const p = r.policy;
  out.push(`Effective policy: ${p.name}`, `  version ${p.version}`, `  sources ${p.sources.join(", ")}`);
  out.push(
    `  approvals: min ${p.approvals.min}, reviewers ${p.approvals.reviewers.join(", ") || "any user with write access"}, expire after ${formatDuration(p.approvals.expireAfterMs)}, self-approval ${p.approvals.allowSelfApproval ? "allowed" : "not allowed"}, reviewer permission ${p.approvals.minPermission ?? "any"}, pull request reviews ${p.approvals.pullRequestReviewCounts ? "count" : "do not count"}`,
    `  masking: packs ${p.masking.packs.join(", ")}; columns ${p.masking.columns.join(", ") || "none"}; rules ${p.masking.rules.map((x) => x.name).join(", ") || "none"}`,
    `  recording: ${p.recording}`,
    `  ${describeRunners(p)}`,
    "",
    "Why:",
    ...p.explain.map((l) => `  ${l}`),
    "",
    "Rules (first match within a policy, strictest across policies; no match: allow):"
  );
  const rules = describeRules(p);
  out.push(...rules.length > 0 ? rules.map((l) => `  ${l}`) : ["  (none)"]);
  for (const d of input.decisions ?? []) {
    const decision = d.decide(p);
    out.push(
      "",
      `${d.label}: ${decision.action}${decision.rule ? ` by ${decision.rule}` : ""}`,
      `  ${decision.reason}`
    );
  }
  return { ok: true, text: `${out.join("\n")}
` };
}

export {
  describeRules,
  explain
};

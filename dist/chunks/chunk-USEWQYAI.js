import { createRequire as __guardCreateRequire } from 'node:module'; import { fileURLToPath as __guardFileURLToPath } from 'node:url'; import { dirname as __guardDirname } from 'node:path'; const require = __guardCreateRequire(import.meta.url); const __guard_filename = __guardFileURLToPath(import.meta.url); const __guard_dirname = __guardDirname(__guard_filename);
import {
  SQL_CLASSES,
  actionRank,
  globMatch
} from "./chunk-RUVNZ2BJ.js";

// policies/rule-match.ts
var regexCache = /* @__PURE__ */ new Map();
function regex(pattern, flags) {
  const key = `${flags}/${pattern}`;
  let re = regexCache.get(key);
  if (!re) {
    re = new RegExp(pattern, flags);
    if (regexCache.size > 1e3) regexCache.clear();
    regexCache.set(key, re);
  }
  return re;
}
function stepWhenHolds(when, step) {
  if (when.kind && !when.kind.includes(step.kind)) return false;
  if (when.name && !when.name.some((p) => globMatch(p, step.name))) return false;
  if (when.target && (step.target === void 0 || !when.target.some((p) => globMatch(p, step.target ?? "")))) {
    return false;
  }
  if (when.scriptMatches !== void 0 && !regex(when.scriptMatches, "").test(step.script)) return false;
  return true;
}
function sqlClassOf(input) {
  const cls = input.class.toLowerCase();
  return SQL_CLASSES.includes(cls) ? cls : "other";
}
function lacksWhere(input) {
  const cls = sqlClassOf(input);
  return (cls === "update" || cls === "delete") && input.withoutWhere;
}
function tableMatches(pattern, table) {
  const bare = table.includes(".") ? table.slice(table.lastIndexOf(".") + 1) : table;
  return globMatch(pattern, table, { ignoreCase: true }) || globMatch(pattern, bare, { ignoreCase: true });
}
function sqlWhenHolds(when, input) {
  if (when.statement && !when.statement.includes(sqlClassOf(input))) return false;
  if (when.withoutWhere !== void 0 && when.withoutWhere !== lacksWhere(input)) return false;
  if (when.tables && !input.tables.some((t) => when.tables?.some((p) => tableMatches(p, t)))) return false;
  if (when.target && (input.target === void 0 || !when.target.some((p) => globMatch(p, input.target ?? "")))) {
    return false;
  }
  if (when.textMatches !== void 0 && !regex(when.textMatches, "i").test(input.text)) return false;
  return true;
}
function enumerated(repo, org) {
  if (!org) return true;
  return repo !== void 0 && repo.some((x) => org.includes(x));
}
function literal(p) {
  return !p.includes("*") && !p.includes("?");
}
function narrower(repo, org, ignoreCase = false) {
  if (!org) return true;
  if (!repo) return false;
  return repo.every((r) => org.some((o) => o === r || literal(r) && globMatch(o, r, { ignoreCase })));
}
function sameOrUnrestricted(repo, org) {
  return org === void 0 || repo === org;
}
function stepRuleAddresses(repo, org) {
  return enumerated(repo.kind, org.kind) && narrower(repo.name, org.name) && narrower(repo.target, org.target) && sameOrUnrestricted(repo.scriptMatches, org.scriptMatches);
}
function sqlRuleAddresses(repo, org) {
  return enumerated(repo.statement, org.statement) && sameOrUnrestricted(repo.withoutWhere, org.withoutWhere) && narrower(repo.tables, org.tables, true) && narrower(repo.target, org.target) && sameOrUnrestricted(repo.textMatches, org.textMatches);
}

// policies/decide.ts
function decide(groups, field, holds, what) {
  const candidates = [];
  for (const group of groups) {
    const index = group.rules.findIndex(holds);
    const rule = group.rules[index];
    if (!rule) continue;
    const ref = `${group.source} ${field}[${index}]`;
    const reason = rule.reason ?? `${what}: ${rule.action} by policy ${group.policy} (${ref})`;
    candidates.push({ policy: group.policy, decision: { action: rule.action, rule: ref, reason } });
  }
  const first = candidates[0];
  if (!first)
    return { action: "allow", reason: `${what}: no policy rule matched; allowed, recorded and masked` };
  let winner = first;
  for (const c of candidates)
    if (actionRank(c.decision.action) > actionRank(winner.decision.action)) winner = c;
  const overruled = candidates.filter(
    (c) => actionRank(c.decision.action) < actionRank(winner.decision.action)
  );
  if (overruled.length === 0) return winner.decision;
  const note = overruled.map((c) => `${c.decision.rule} would ${c.decision.action}`).join(", ");
  return { ...winner.decision, reason: `${winner.decision.reason} (stricter than ${note})` };
}
function decideStep(policy, step) {
  const label = `step "${step.name}" (${step.kind}${step.target ? ` ${step.target}` : ""})`;
  return decide(policy.steps, "steps", (r) => stepWhenHolds(r.when, step), label);
}
function decideSql(policy, stmt) {
  const head = stmt.text.replace(/\s+/g, " ").trim();
  const label = `SQL ${stmt.class.toUpperCase()} "${head.length > 60 ? `${head.slice(0, 57)}...` : head}"`;
  return decide(policy.sql, "sql", (r) => sqlWhenHolds(r.when, stmt), label);
}
function decideSqlBatch(policy, statements) {
  let worst;
  for (const stmt of statements) {
    const d = decideSql(policy, stmt);
    if (!worst || actionRank(d.action) > actionRank(worst.action)) worst = d;
  }
  return worst ?? { action: "allow", reason: "SQL: no statement; nothing to decide" };
}

export {
  stepRuleAddresses,
  sqlRuleAddresses,
  decideStep,
  decideSql,
  decideSqlBatch
};

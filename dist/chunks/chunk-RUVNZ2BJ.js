import { createRequire as __guardCreateRequire } from 'node:module'; import { fileURLToPath as __guardFileURLToPath } from 'node:url'; import { dirname as __guardDirname } from 'node:path'; const require = __guardCreateRequire(import.meta.url); const __guard_filename = __guardFileURLToPath(import.meta.url); const __guard_dirname = __guardDirname(__guard_filename);

// policies/glob.ts
var cache = /* @__PURE__ */ new Map();
function globToRegExp(pattern, options = {}) {
  const key = `${options.ignoreCase ? "i" : "s"}:${pattern}`;
  const hit = cache.get(key);
  if (hit) return hit;
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] ?? "";
    if (char === "*") {
      if (pattern[i + 1] === "*") {
        source += ".*";
        i++;
      } else {
        source += "[^/]*";
      }
    } else if (char === "?") {
      source += "[^/]";
    } else {
      source += char.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    }
  }
  const regexp = new RegExp(`^${source}$`, options.ignoreCase ? "is" : "s");
  if (cache.size > 1e4) cache.clear();
  cache.set(key, regexp);
  return regexp;
}
function globMatch(pattern, value, options = {}) {
  return globToRegExp(pattern, options).test(value);
}
function isGlob(pattern) {
  return pattern.includes("*") || pattern.includes("?");
}
function globsMayOverlap(a, b, options = {}) {
  if (!isGlob(a)) return globMatch(b, a, options);
  if (!isGlob(b)) return globMatch(a, b, options);
  return true;
}

// policies/types.ts
var SQL_CLASSES = [
  "select",
  "insert",
  "update",
  "delete",
  "create",
  "alter",
  "drop",
  "truncate",
  "grant",
  "revoke",
  "copy",
  "do",
  "call",
  "other"
];
var MASKING_PACKS = ["secrets", "pii-common", "pii-br", "pii-us", "pii-eu"];
var MATCH_CLAIMS = [
  "repository",
  "repository_id",
  "repository_owner",
  "repository_owner_id",
  "ref",
  "ref_type",
  "environment",
  "event_name",
  "workflow_ref",
  "job_workflow_ref",
  "runner_environment",
  "actor"
];
var REPOSITORY_PERMISSIONS = ["read", "triage", "write", "maintain", "admin"];

// policies/strictness.ts
var DEFAULTS = {
  min: 1,
  expireAfterMs: 36e5,
  allowSelfApproval: false,
  recording: "strict",
  packs: MASKING_PACKS,
  allowForks: false,
  allowPullRequestTarget: false,
  /** Absent min-permission: no permission requirement beyond the reviewer list. */
  minPermission: void 0,
  pullRequestReviewCounts: false,
  requireGuard: false,
  jobApproval: false
};
function permissionRank(permission) {
  return REPOSITORY_PERMISSIONS.indexOf(permission);
}
var RANK = { allow: 0, "require-approval": 1, block: 2 };
function actionRank(action) {
  return RANK[action];
}

export {
  globMatch,
  globsMayOverlap,
  SQL_CLASSES,
  MASKING_PACKS,
  MATCH_CLAIMS,
  DEFAULTS,
  permissionRank,
  actionRank
};

import { createRequire as __guardCreateRequire } from 'node:module'; import { fileURLToPath as __guardFileURLToPath } from 'node:url'; import { dirname as __guardDirname } from 'node:path'; const require = __guardCreateRequire(import.meta.url); const __guard_filename = __guardFileURLToPath(import.meta.url); const __guard_dirname = __guardDirname(__guard_filename);
import {
  canonicalJson
} from "./chunk-PPEQLLQ3.js";

// audit/manifest.ts
var MANIFEST_VERSION = 1;
var MANIFEST_FILE = "manifest.json";
var ENVELOPE_FILE = "manifest.dsse.json";
var EVENTS_FILE = "events.jsonl";
function approvalRecord(vote) {
  return {
    reviewer: vote.reviewer,
    channel: vote.channel,
    at: vote.at,
    decision: vote.decision === "approve" ? "approved" : "rejected",
    ...vote.comment ? { comment: vote.comment } : {}
  };
}
function approverLabels(approvals) {
  return approvals.filter((vote) => vote.decision === "approved").map((vote) => `${vote.reviewer} (${vote.channel})`);
}
function serialiseManifest(manifest) {
  const sorted = JSON.parse(canonicalJson(manifest));
  return Buffer.from(`${JSON.stringify(sorted, null, 2)}
`, "utf8");
}
function parseManifest(bytes) {
  let value;
  try {
    value = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch {
    return "manifest.json is not valid JSON";
  }
  const m = value;
  if (typeof m !== "object" || m === null) return "manifest.json is not a JSON object";
  if (m.version !== MANIFEST_VERSION)
    return `manifest.json has version ${JSON.stringify(m.version)}, this guard reads ${MANIFEST_VERSION}`;
  if (!Array.isArray(m.files) || !Array.isArray(m.steps) || typeof m.chains !== "object" || m.chains === null) {
    return "manifest.json lacks files, steps or chains";
  }
  if (typeof m.identity !== "object" || m.identity === null) return "manifest.json lacks the job identity";
  if (m.deployment !== void 0 && (typeof m.deployment?.approval !== "string" || typeof m.deployment.environment !== "string" || !Array.isArray(m.deployment.approvals))) {
    return "manifest.json has a deployment entry without approval, environment and approvals";
  }
  for (const f of m.files) {
    if (typeof f?.path !== "string" || typeof f.sha256 !== "string" || typeof f.size !== "number") {
      return "manifest.json has a file entry without path, sha256 and size";
    }
  }
  return m;
}
function bundleName(identity, job) {
  const safeJob = job.replace(/[^A-Za-z0-9._-]/g, "_");
  return `guard-audit-${identity.run_id}-${identity.run_attempt}-${safeJob}`;
}

export {
  MANIFEST_VERSION,
  MANIFEST_FILE,
  ENVELOPE_FILE,
  EVENTS_FILE,
  approvalRecord,
  approverLabels,
  serialiseManifest,
  parseManifest,
  bundleName
};

import { createRequire as __guardCreateRequire } from 'node:module'; import { fileURLToPath as __guardFileURLToPath } from 'node:url'; import { dirname as __guardDirname } from 'node:path'; const require = __guardCreateRequire(import.meta.url); const __guard_filename = __guardFileURLToPath(import.meta.url); const __guard_dirname = __guardDirname(__guard_filename);
import {
  KEYS_WELL_KNOWN_PATH,
  parseTrustedKeys
} from "./chunk-74IGE3EL.js";
import {
  loadBundle,
  verifyCast
} from "./chunk-RKGZ6QM4.js";
import {
  IN_TOTO_PAYLOAD_TYPE,
  dsseVerify,
  parseStatement
} from "./chunk-QYAVXIQQ.js";
import {
  ENVELOPE_FILE,
  EVENTS_FILE,
  MANIFEST_FILE,
  parseManifest
} from "./chunk-A5XFMG5Z.js";
import {
  verifyEventChain
} from "./chunk-V4X7F4OT.js";
import {
  GuardError,
  describeError
} from "./chunk-I2IPMUGB.js";

// audit/key-source.ts
import { readFile } from "node:fs/promises";
async function loadTrustedKeys(keyFiles, serverUrl) {
  const keys = [];
  for (const file of keyFiles) {
    let text;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      throw new GuardError("BAD_INPUT", `guard: cannot read the key file ${file}: ${describeError(error)}`, {
        cause: error
      });
    }
    keys.push(...parseTrustedKeys(text));
  }
  if (serverUrl !== void 0) keys.push(...await fetchServerKeys(serverUrl));
  if (keys.length === 0) {
    throw new GuardError(
      "BAD_INPUT",
      "guard: no trusted keys: give --key FILE (the output of `guard server keys`, works offline) or --server URL"
    );
  }
  return keys;
}
async function fetchServerKeys(serverUrl) {
  const url = new URL(KEYS_WELL_KNOWN_PATH, serverUrl);
  let response;
  try {
    response = await fetch(url, { headers: { accept: "application/json" } });
  } catch (error) {
    throw new GuardError(
      "SERVER_UNREACHABLE",
      `guard: cannot fetch the server's keys from ${url.href}: ${describeError(error)}`,
      { cause: error }
    );
  }
  if (!response.ok)
    throw new GuardError(
      "SERVER_ERROR",
      `guard: ${url.href} answered ${response.status}; is ${serverUrl} a guard server?`
    );
  return parseTrustedKeys(await response.text());
}

// audit/report.ts
function formatVerification(label, result) {
  const s = result.summary;
  const out = [];
  out.push(`${result.ok ? "VALID" : "INVALID"}  ${label}`);
  if (s.repository !== void 0) {
    out.push(
      `  session ${s.sessionId}  ${s.repository}  run ${s.runId} attempt ${s.runAttempt}  job ${s.job}`
    );
    out.push(
      `  workflow ${s.workflow}  ref ${s.ref}  sha ${s.sha?.slice(0, 12)}  actor ${s.actor}  policy ${s.policy || "-"}`
    );
  }
  if (s.deployment !== void 0) out.push(`  deployment ${s.deployment}`);
  if (s.keyId !== void 0) out.push(`  signed by ${s.keyId} at ${s.signedAt}`);
  if (result.problems.length > 0) {
    out.push(
      `  ${result.problems.length} problem(s); the first is where the evidence stops being trustworthy:`
    );
    for (const p of result.problems) {
      const where = p.file === void 0 ? "" : `${p.file}${p.event === void 0 ? "" : ` (event ${p.event})`}: `;
      out.push(`    ${where}${p.message}`);
    }
  }
  if (s.steps.length > 0) {
    out.push("");
    out.push(
      table(
        ["step", "name", "kind", "decision", "exit", "approvals (reviewer)", "statements", "masked"],
        s.steps.map((st) => [
          String(st.n),
          st.name,
          st.kind,
          st.decision,
          st.exitCode === null ? "-" : String(st.exitCode),
          st.reviewers.join("; ") || "-",
          String(st.statements),
          String(st.masked)
        ])
      )
    );
    const masked = Object.entries(s.maskedByType).sort(([a], [b]) => a.localeCompare(b)).map(([type, n]) => `${type} ${n}`).join(", ");
    out.push(`  SQL statements: ${s.statements}; masked values by type: ${masked || "none"}`);
  }
  return `${out.join("\n")}
`;
}
function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells) => `  ${cells.map((c, i) => c.padEnd(widths[i])).join("  ")}`.trimEnd();
  return [line(headers), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

// audit/verify-bundle.ts
import { createHash } from "node:crypto";
async function verifyBundle(dirOrZip, options) {
  return verifyBundleFiles(await loadBundle(dirOrZip), options);
}
function verifyBundleFiles(files, options) {
  const problems = [];
  const summary = { steps: [], statements: 0, maskedByType: {} };
  const result = () => ({ ok: problems.length === 0, problems, summary });
  const statement = checkSignature(files, options.keys, problems, summary);
  const manifestBytes = files.get(MANIFEST_FILE);
  if (manifestBytes === void 0) {
    problems.push({ file: MANIFEST_FILE, message: "missing: the bundle has no manifest.json" });
    return result();
  }
  const manifest = parseManifest(manifestBytes);
  if (typeof manifest === "string") {
    problems.push({ file: MANIFEST_FILE, message: manifest });
    return result();
  }
  summarise(manifest, summary);
  if (statement !== void 0) checkStatementCoversManifest(statement, manifestBytes, manifest, problems);
  checkFiles(files, manifest, problems);
  checkChains(files, manifest, problems);
  return result();
}
function checkSignature(files, keys, problems, summary) {
  const file = ENVELOPE_FILE;
  const bytes = files.get(file);
  if (bytes === void 0) {
    problems.push({ file, message: "missing: the bundle is not signed (manifest.dsse.json is absent)" });
    return void 0;
  }
  let envelope;
  try {
    envelope = JSON.parse(bytes.toString("utf8"));
  } catch {
    problems.push({ file, message: "not valid JSON" });
    return void 0;
  }
  const trusted = new Map(
    keys.filter((k) => !k.revoked).map((k) => [k.keyId, k.publicKey])
  );
  const verified = dsseVerify(envelope, trusted);
  if (!verified.ok) {
    const revoked = keys.find((k) => k.revoked && verified.signatures.some((s) => s.keyid === k.keyId));
    problems.push({
      file,
      message: revoked ? `signed by key ${revoked.keyId}, which is revoked: nothing it signed is trusted` : verified.problem
    });
    return void 0;
  }
  if (verified.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    problems.push({ file, message: `payloadType is ${verified.payloadType}, not ${IN_TOTO_PAYLOAD_TYPE}` });
    return void 0;
  }
  const statement = parseStatement(verified.payload);
  if (typeof statement === "string") {
    problems.push({ file, message: statement });
    return void 0;
  }
  const key = keys.find((k) => k.keyId === verified.keyId);
  summary.keyId = key.keyId;
  summary.signedAt = statement.predicate.signedAt;
  const at = statement.predicate.signedAt;
  if (key.notBefore !== void 0 && at < key.notBefore) {
    problems.push({
      file,
      message: `signed at ${at} by key ${key.keyId}, before that key's validity began (${key.notBefore})`
    });
  }
  if (key.notAfter !== void 0 && at >= key.notAfter) {
    problems.push({
      file,
      message: `signed at ${at} by key ${key.keyId}, after that key expired (${key.notAfter})`
    });
  }
  return statement;
}
function checkStatementCoversManifest(statement, manifestBytes, manifest, problems) {
  const signed = new Map(statement.subject.map((s) => [s.name, s.digest.sha256]));
  const actual = sha256(manifestBytes);
  const signedManifest = signed.get(MANIFEST_FILE);
  if (signedManifest !== actual) {
    problems.push({
      file: MANIFEST_FILE,
      message: `sha256 mismatch (the signed statement says ${signedManifest ?? "nothing"}, file has ${actual}): the manifest was edited after signing`
    });
  }
  for (const f of manifest.files) {
    const s = signed.get(f.path);
    if (s === void 0)
      problems.push({ file: f.path, message: "listed in manifest.json but not in the signed statement" });
    else if (s !== f.sha256)
      problems.push({
        file: f.path,
        message: `manifest.json and the signed statement disagree on its sha256`
      });
  }
  for (const name of signed.keys()) {
    if (name !== MANIFEST_FILE && !manifest.files.some((f) => f.path === name)) {
      problems.push({
        file: name,
        message: "signed, but no longer listed in manifest.json (removed from the manifest)"
      });
    }
  }
  const p = statement.predicate;
  if (p.sessionId !== manifest.sessionId || p.repository !== manifest.identity.repository || p.runId !== manifest.identity.run_id) {
    problems.push({
      file: MANIFEST_FILE,
      message: "the session, repository or run in manifest.json differ from the signed statement"
    });
  }
}
function checkFiles(files, manifest, problems) {
  const expectedByDigest = new Map(manifest.files.map((f) => [f.sha256, f.path]));
  for (const f of manifest.files) {
    const bytes = files.get(f.path);
    if (bytes === void 0) {
      problems.push({
        file: f.path,
        message: "missing: listed in the manifest but not in the bundle (the file was removed)"
      });
      continue;
    }
    const actual = sha256(bytes);
    if (actual === f.sha256) continue;
    const copyOf = expectedByDigest.get(actual);
    const why = copyOf !== void 0 ? `; it is a copy of ${copyOf} (a file was replaced by another${copyOf.startsWith("steps/") ? " step's recording" : ""})` : bytes.length !== f.size ? ` and ${bytes.length} bytes where the manifest says ${f.size}` : "";
    problems.push({
      file: f.path,
      message: `sha256 mismatch (manifest says ${f.sha256.slice(0, 12)}..., file has ${actual.slice(0, 12)}...)${why}`
    });
  }
  const listed = new Set(manifest.files.map((f) => f.path));
  for (const name of files.keys()) {
    if (name !== MANIFEST_FILE && name !== ENVELOPE_FILE && !listed.has(name)) {
      problems.push({ file: name, message: "not listed in the manifest (added after signing)" });
    }
  }
}
function checkChains(files, manifest, problems) {
  for (const [path, expected] of Object.entries(manifest.chains)) {
    const bytes = files.get(path);
    if (bytes === void 0) continue;
    const text = bytes.toString("utf8");
    if (path === EVENTS_FILE) {
      const v = verifyEventChain(text, expected);
      if (v.problem)
        problems.push({
          file: path,
          line: v.problem.line,
          ...v.problem.seq === void 0 ? {} : { event: v.problem.seq },
          message: `line ${v.problem.line}: ${v.problem.message}`
        });
    } else {
      const v = verifyCast(text, expected);
      if (v.problem)
        problems.push({
          file: path,
          line: v.problem.line,
          ...v.problem.event === void 0 ? {} : { event: v.problem.event },
          message: `line ${v.problem.line}: ${v.problem.message}`
        });
    }
  }
  for (const f of manifest.files) {
    const chained = f.path === EVENTS_FILE || f.path.endsWith(".cast");
    if (chained && manifest.chains[f.path] === void 0)
      problems.push({ file: f.path, message: "has no chain head in the manifest" });
  }
}
function summarise(m, summary) {
  const id = m.identity;
  Object.assign(summary, {
    sessionId: m.sessionId,
    repository: id.repository,
    runId: id.run_id,
    runAttempt: id.run_attempt,
    job: m.job,
    workflow: id.workflow,
    ref: id.ref,
    sha: id.sha,
    actor: id.actor,
    policy: [m.policy?.name, m.policy?.version ?? m.policy?.digest].filter(Boolean).join("@")
  });
  if (m.deployment) {
    const d = m.deployment;
    const by = d.approvals.map((a) => `${a.reviewer} (${a.decision} via ${a.channel} at ${a.at})`);
    summary.deployment = `${d.environment}  sha ${d.sha.slice(0, 12)}  ${d.decision} ${d.decidedAt}  by ${by.join(", ") || "-"}  (approval ${d.approval})`;
  }
  for (const step of m.steps) {
    const statements = Object.values(step.sqlCounts ?? {}).reduce((a, b) => a + b, 0);
    const masked = Object.values(step.maskCounts ?? {}).reduce((a, b) => a + b, 0);
    for (const [type, n] of Object.entries(step.maskCounts ?? {}))
      summary.maskedByType[type] = (summary.maskedByType[type] ?? 0) + n;
    summary.statements += statements;
    summary.steps.push({
      n: step.n,
      name: step.name,
      kind: step.kind,
      decision: step.decision,
      exitCode: step.exitCode,
      reviewers: (step.approvals ?? []).map((a) => `${a.reviewer} (${a.decision} via ${a.channel})`),
      statements,
      masked
    });
  }
}
function sha256(bytes) {
  return createHash("sha256").update(bytes).digest("hex");
}

export {
  loadTrustedKeys,
  formatVerification,
  verifyBundle
};

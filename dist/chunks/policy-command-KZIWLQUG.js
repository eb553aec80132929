import { createRequire as __guardCreateRequire } from 'node:module'; import { fileURLToPath as __guardFileURLToPath } from 'node:url'; import { dirname as __guardDirname } from 'node:path'; const require = __guardCreateRequire(import.meta.url); const __guard_filename = __guardFileURLToPath(import.meta.url); const __guard_dirname = __guardDirname(__guard_filename);
import {
  canonicalJson,
  formatSchemaErrors,
  invalid,
  isTestFile,
  lineOf,
  listYamlFiles,
  policySetFromTexts,
  readPolicyTexts,
  readYaml,
  schema_default,
  validateTestShape
} from "./chunk-IZR5YBT4.js";
import {
  explain
} from "./chunk-AUISCNSU.js";
import {
  formatDuration,
  resolvePolicy
} from "./chunk-KIAGOMB5.js";
import {
  analyzeSql
} from "./chunk-LILV5R5L.js";
import {
  decideSqlBatch,
  decideStep
} from "./chunk-USEWQYAI.js";
import "./chunk-RUVNZ2BJ.js";
import {
  GuardError,
  describeError
} from "./chunk-I2IPMUGB.js";
import "./chunk-VTIIOCZ3.js";

// policies/policy-command.ts
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

// policies/test-cases.ts
var BOILERPLATE = {
  iss: "https://token.actions.githubusercontent.com",
  aud: "guard",
  sub: "repo:test/test:ref:refs/heads/main",
  run_id: "1",
  run_attempt: "1",
  sha: "0000000000000000000000000000000000000000",
  workflow: "test"
};
function toClaims(...layers) {
  const out = {};
  for (const layer of layers) {
    for (const [k, v] of Object.entries(layer ?? {})) {
      if (v === null) delete out[k];
      else out[k] = String(v);
    }
  }
  return out;
}
function parseTestFile(text, file) {
  const { source, errors } = readYaml(text, file);
  if (!source) throw invalid(file, errors, "policy test");
  const schemaErrors = validateTestShape(source.data);
  if (schemaErrors) throw invalid(file, formatSchemaErrors(schemaErrors, source), "policy test");
  const data = source.data;
  return data.tests.map((t, i) => {
    const { claims, "pull-request-from-fork": fork, ...rest } = t;
    return {
      ...rest,
      file,
      line: lineOf(source.lines, ["tests", i]),
      claims: toClaims(BOILERPLATE, data.claims, claims),
      pullRequestFromFork: fork ?? false
    };
  });
}
function policyView(p) {
  return {
    name: p.name,
    version: p.version,
    sources: p.sources,
    approvals: {
      reviewers: p.approvals.reviewers,
      min: p.approvals.min,
      "expire-after": formatDuration(p.approvals.expireAfterMs),
      "allow-self-approval": p.approvals.allowSelfApproval,
      "min-permission": p.approvals.minPermission ?? null,
      "pull-request-review-counts": p.approvals.pullRequestReviewCounts
    },
    masking: p.masking,
    recording: p.recording,
    // Labels and workflows stay one list per policy: every list must be satisfied.
    runners: {
      labels: p.runners.labels.map((g) => g.patterns),
      workflows: p.runners.workflows.map((g) => g.patterns),
      "require-guard": p.runners.requireGuard,
      "job-approval": p.runners.jobApproval
    }
  };
}
function at(view, path) {
  let cur = view;
  for (const key of path.split(".")) {
    if (cur === null || typeof cur !== "object") return void 0;
    cur = cur[key];
  }
  return cur;
}
function sqlInputs(sql) {
  const analysed = analyzeSql(sql.text);
  const base = analysed.length > 0 ? analysed : [{ text: sql.text, class: "other", tables: [], withoutWhere: false }];
  return base.map((a) => ({
    text: a.text,
    class: sql.statement ?? a.class,
    tables: sql.tables ?? a.tables,
    withoutWhere: sql["without-where"] ?? a.withoutWhere,
    ...sql.target !== void 0 ? { target: sql.target } : {}
  }));
}
function runTestCase(set, test2) {
  const failures = [];
  const r = resolvePolicy(set, test2.claims, { pullRequestFromFork: test2.pullRequestFromFork });
  const e = test2.expect;
  const wantsSession = e.session === "granted" || e.action !== void 0 || e.rule !== void 0 || e.policy !== void 0;
  if (e.session === "denied") {
    if (r.ok) failures.push(`expected no session, but the job got one under ${r.policy.name}`);
    else {
      const named = new Set(r.unmatched.flatMap((u) => u.claims));
      const missing = (e.unmatched ?? []).filter((c) => !named.has(c));
      if (missing.length > 0)
        failures.push(
          `expected the denial to name ${missing.join(", ")}; it named ${[...named].join(", ") || "nothing"}: ${r.reason}`
        );
    }
    return { test: test2, ok: failures.length === 0, failures };
  }
  if (!r.ok) {
    if (wantsSession) failures.push(`expected a session, but: ${r.reason}`);
    return { test: test2, ok: failures.length === 0, failures };
  }
  const policy = r.policy;
  for (const [path, expected] of Object.entries(e.policy ?? {})) {
    const actual = at(policyView(policy), path);
    if (canonicalJson(actual) !== canonicalJson(expected)) {
      failures.push(`policy ${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
    }
  }
  if (test2.step && test2.sql)
    failures.push("a test case decides a step or a SQL statement, not both; split it");
  if (e.action !== void 0 || e.rule !== void 0) {
    let decision;
    if (test2.step) {
      decision = decideStep(policy, {
        name: test2.step.name ?? "step",
        kind: test2.step.kind ?? "shell",
        script: test2.step.script,
        ...test2.step.target !== void 0 ? { target: test2.step.target } : {}
      });
    } else if (test2.sql) {
      decision = decideSqlBatch(policy, sqlInputs(test2.sql));
    } else {
      failures.push("expect.action / expect.rule need a step or sql in the test case");
    }
    if (decision) {
      if (e.action !== void 0 && decision.action !== e.action)
        failures.push(`expected ${e.action}, got ${decision.action}: ${decision.reason}`);
      const rule = decision.rule ?? "none";
      if (e.rule !== void 0 && rule !== e.rule)
        failures.push(`expected rule ${e.rule}, got ${rule}: ${decision.reason}`);
    }
  }
  return { test: test2, ok: failures.length === 0, failures };
}
function runTestCases(set, tests) {
  return tests.map((t) => runTestCase(set, t));
}
function assertTestsPresent(tests, dir) {
  if (tests.length === 0) {
    throw new GuardError(
      "BAD_INPUT",
      `guard policy test: no test cases (*_test.yml) in ${dir}; a policy without tests proves nothing.`
    );
  }
}

// policies/policy-command.ts
var USAGE = `Usage:
  guard policy check DIR                      validate every policy (and test file) in DIR
  guard policy test DIR [--verbose]           run the test cases in DIR/**/*_test.yml
  guard policy explain DIR --claims FILE [--fork] [--step SCRIPT [--step-name N] [--kind shell|db|ssh] [--target T]] [--sql TEXT [--target T]]
                                              the effective policy for a job, and why
  guard policy schema                         print the policy JSON Schema (for editors)
`;
async function runPolicyCommand(argv, io) {
  const [sub, ...rest] = argv;
  const write = (text) => io.stdout.write(text);
  try {
    switch (sub) {
      case "check":
        return await check(rest, io);
      case "test":
        return await test(rest, io);
      case "explain":
        return await explainCommand(rest, io);
      case "schema":
        write(`${JSON.stringify(schema_default, null, 2)}
`);
        return 0;
      case "--help":
      case "-h":
      case "help":
        write(USAGE);
        return 0;
      default:
        io.stderr.write(sub === void 0 ? USAGE : `guard policy: unknown command "${sub}"
${USAGE}`);
        return 2;
    }
  } catch (error) {
    if (error instanceof GuardError && error.code === "BAD_INPUT") {
      io.stderr.write(`${error.message}
`);
      return 2;
    }
    io.stderr.write(`${describeError(error)}
`);
    return 1;
  }
}
function oneDir(args, io, command) {
  if (args.length !== 1 || args[0]?.startsWith("-")) {
    throw new GuardError("BAD_INPUT", `guard policy ${command}: give exactly one policy folder
${USAGE}`);
  }
  return resolve(io.cwd ?? process.cwd(), args[0] ?? ".");
}
async function loadAll(dir) {
  const set = policySetFromTexts(await readPolicyTexts(dir));
  if (set.policies.length === 0) {
    throw new GuardError(
      "POLICY_INVALID",
      `guard: no policy files (*.yml) in ${dir}; every job would be denied.`
    );
  }
  const tests = [];
  const problems = [];
  for (const file of (await listYamlFiles(dir)).filter(isTestFile)) {
    try {
      tests.push(...parseTestFile(await readFile(join(dir, file), "utf8"), file));
    } catch (error) {
      problems.push(describeError(error));
    }
  }
  if (problems.length > 0) throw new GuardError("POLICY_INVALID", problems.join("\n"));
  return { set, tests };
}
function policyWarnings(p) {
  const out = [];
  if (p.match.repository && !p.match.repository_id && !p.match.repository_owner_id) {
    out.push(
      `${p.source}: matches repository by name only; add repository_id or repository_owner_id so a renamed or re-created repository cannot inherit it`
    );
  }
  if (p.kind === "organization" && p.match.repository_owner && !p.match.repository_owner_id) {
    out.push(
      `${p.source}: matches repository_owner by name only; add repository_owner_id so a renamed owner's name cannot be taken over`
    );
  }
  return out;
}
async function check(args, io) {
  const dir = oneDir(args, io, "check");
  const { set, tests } = await loadAll(dir);
  for (const warning of set.policies.flatMap(policyWarnings)) io.stderr.write(`warning: ${warning}
`);
  const names = set.policies.map((p) => `${p.name} (${p.kind}, ${p.source})`);
  io.stdout.write(
    `ok: ${set.policies.length} policies, ${tests.length} test cases in ${dir}
  ${names.join("\n  ")}
`
  );
  return 0;
}
async function test(args, io) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { verbose: { type: "boolean", short: "v" } }
  });
  const dir = oneDir(positionals, io, "test");
  const { set, tests } = await loadAll(dir);
  assertTestsPresent(tests, dir);
  const results = runTestCases(set, tests);
  let failed = 0;
  for (const r of results) {
    const where = `${r.test.file}:${r.test.line}`;
    if (r.ok) {
      if (values.verbose) io.stdout.write(`PASS ${where}: ${r.test.name}
`);
      continue;
    }
    failed++;
    io.stdout.write(`FAIL ${where}: ${r.test.name}
${r.failures.map((f) => `  ${f}
`).join("")}`);
  }
  io.stdout.write(
    `${failed === 0 ? "PASS" : "FAIL"}: ${results.length - failed}/${results.length} test cases passed
`
  );
  return failed === 0 ? 0 : 1;
}
function parseClaims(text) {
  const trimmed = text.trim();
  const parts = trimmed.split(".");
  if (!trimmed.startsWith("{") && parts.length === 3) {
    return JSON.parse(Buffer.from(parts[1] ?? "", "base64url").toString("utf8"));
  }
  const parsed = JSON.parse(trimmed);
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed))
    throw new TypeError("claims must be a JSON object");
  return parsed;
}
async function explainCommand(args, io) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      claims: { type: "string" },
      fork: { type: "boolean" },
      "no-fork": { type: "boolean" },
      step: { type: "string" },
      "step-name": { type: "string" },
      kind: { type: "string" },
      target: { type: "string" },
      sql: { type: "string" }
    }
  });
  const dir = oneDir(positionals, io, "explain");
  if (!values.claims)
    throw new GuardError(
      "BAD_INPUT",
      `guard policy explain: --claims FILE.json is required (the job's OIDC token claims)
${USAGE}`
    );
  if (values.kind !== void 0 && !["shell", "db", "ssh"].includes(values.kind)) {
    throw new GuardError("BAD_INPUT", `guard policy explain: --kind must be shell, db or ssh`);
  }
  const claimsPath = resolve(io.cwd ?? process.cwd(), values.claims);
  let claims;
  try {
    claims = parseClaims(await readFile(claimsPath, "utf8"));
  } catch (error) {
    throw new GuardError(
      "BAD_INPUT",
      `guard policy explain: cannot read claims from ${claimsPath}: ${describeError(error)}`,
      { cause: error }
    );
  }
  const set = policySetFromTexts(await readPolicyTexts(dir));
  const decisions = [];
  if (values.step !== void 0) {
    const step = {
      name: values["step-name"] ?? "step",
      kind: values.kind ?? "shell",
      script: values.step,
      ...values.target !== void 0 ? { target: values.target } : {}
    };
    decisions.push({
      label: `Step "${step.name}"`,
      decide: (p) => decideStep(p, step)
    });
  }
  if (values.sql !== void 0) {
    const statements = analyzeSql(values.sql).map((s) => ({
      ...s,
      ...values.target !== void 0 ? { target: values.target } : {}
    }));
    decisions.push({
      label: "SQL",
      decide: (p) => decideSqlBatch(p, statements)
    });
  }
  const context = values.fork ? { pullRequestFromFork: true } : values["no-fork"] ? { pullRequestFromFork: false } : {};
  const result = explain(set, { claims, context, decisions });
  io.stdout.write(result.text);
  return result.ok ? 0 : 1;
}
export {
  parseClaims,
  policyWarnings,
  runPolicyCommand
};

// `guard policy test`: a policy folder carries its own test cases (files named *_test.yml), each a job's
// claims, optionally a step or a SQL statement, and the expected outcome. Pure: the command reads files.
import type { JobClaims } from '../lib/claims.js';
import { GuardError } from '../lib/errors.js';
import { analyzeSql } from '../pg-proxy/sql/analyze.js';
import { decideSqlBatch, decideStep } from './decide.js';
import { formatDuration } from './duration.js';
import { resolvePolicy } from './match.js';
import { canonicalJson, invalid } from './parse.js';
import { validateTestShape } from './schema.js';
import type { Decision, EffectivePolicy, PolicySet, SqlInput, StepAction, StepKind } from './types.js';
import { formatSchemaErrors, lineOf, readYaml } from './yaml-source.js';

type RawClaims = Record<string, string | number | null>;

export interface TestCase {
  file: string;
  line: number;
  name: string;
  claims: JobClaims;
  pullRequestFromFork: boolean;
  step?: { name?: string; kind?: StepKind; target?: string; script: string };
  sql?: { text: string; statement?: string; tables?: string[]; 'without-where'?: boolean; target?: string };
  expect: {
    session?: 'granted' | 'denied';
    unmatched?: string[];
    action?: StepAction;
    rule?: string;
    policy?: Record<string, unknown>;
  };
}

export interface TestResult {
  test: TestCase;
  ok: boolean;
  failures: string[];
}

/** Claims every token has but a test rarely cares about; a test's own claims are laid over them. */
const BOILERPLATE: RawClaims = {
  iss: 'https://token.actions.githubusercontent.com',
  aud: 'guard',
  sub: 'repo:test/test:ref:refs/heads/main',
  run_id: '1',
  run_attempt: '1',
  sha: '0000000000000000000000000000000000000000',
  workflow: 'test',
};

function toClaims(...layers: (RawClaims | undefined)[]): JobClaims {
  const out: Record<string, string> = {};
  for (const layer of layers) {
    for (const [k, v] of Object.entries(layer ?? {})) {
      if (v === null) delete out[k];
      else out[k] = String(v);
    }
  }
  return out as unknown as JobClaims;
}

export function parseTestFile(text: string, file: string): TestCase[] {
  const { source, errors } = readYaml(text, file);
  if (!source) throw invalid(file, errors, 'policy test');
  const schemaErrors = validateTestShape(source.data);
  if (schemaErrors) throw invalid(file, formatSchemaErrors(schemaErrors, source), 'policy test');
  const data = source.data as {
    claims?: RawClaims;
    tests: (Omit<TestCase, 'file' | 'line' | 'claims' | 'pullRequestFromFork'> & {
      claims?: RawClaims;
      'pull-request-from-fork'?: boolean;
    })[];
  };
  return data.tests.map((t, i) => {
    const { claims, 'pull-request-from-fork': fork, ...rest } = t;
    return {
      ...rest,
      file,
      line: lineOf(source.lines, ['tests', i]),
      claims: toClaims(BOILERPLATE, data.claims, claims),
      pullRequestFromFork: fork ?? false,
    };
  });
}

/** The effective policy in the words of a policy file, so expectations read like the policy itself. */
export function policyView(p: EffectivePolicy): Record<string, unknown> {
  return {
    name: p.name,
    version: p.version,
    sources: p.sources,
    approvals: {
      reviewers: p.approvals.reviewers,
      min: p.approvals.min,
      'expire-after': formatDuration(p.approvals.expireAfterMs),
      'allow-self-approval': p.approvals.allowSelfApproval,
      'min-permission': p.approvals.minPermission ?? null,
      'pull-request-review-counts': p.approvals.pullRequestReviewCounts,
    },
    masking: p.masking,
    recording: p.recording,
    // Labels and workflows stay one list per policy: every list must be satisfied.
    runners: {
      labels: p.runners.labels.map((g) => g.patterns),
      workflows: p.runners.workflows.map((g) => g.patterns),
      'require-guard': p.runners.requireGuard,
      'job-approval': p.runners.jobApproval,
    },
  };
}

function at(view: unknown, path: string): unknown {
  let cur = view;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

function sqlInputs(sql: NonNullable<TestCase['sql']>): SqlInput[] {
  const analysed = analyzeSql(sql.text);
  const base =
    analysed.length > 0 ? analysed : [{ text: sql.text, class: 'other', tables: [], withoutWhere: false }];
  return base.map((a) => ({
    text: a.text,
    class: sql.statement ?? a.class,
    tables: sql.tables ?? a.tables,
    withoutWhere: sql['without-where'] ?? a.withoutWhere,
    ...(sql.target !== undefined ? { target: sql.target } : {}),
  }));
}

export function runTestCase(set: PolicySet, test: TestCase): TestResult {
  const failures: string[] = [];
  const r = resolvePolicy(set, test.claims, { pullRequestFromFork: test.pullRequestFromFork });
  const e = test.expect;
  const wantsSession =
    e.session === 'granted' || e.action !== undefined || e.rule !== undefined || e.policy !== undefined;
  if (e.session === 'denied') {
    if (r.ok) failures.push(`expected no session, but the job got one under ${r.policy.name}`);
    else {
      const named = new Set(r.unmatched.flatMap((u) => u.claims));
      const missing = (e.unmatched ?? []).filter((c) => !named.has(c));
      if (missing.length > 0)
        failures.push(
          `expected the denial to name ${missing.join(', ')}; it named ${[...named].join(', ') || 'nothing'}: ${r.reason}`,
        );
    }
    return { test, ok: failures.length === 0, failures };
  }
  if (!r.ok) {
    if (wantsSession) failures.push(`expected a session, but: ${r.reason}`);
    return { test, ok: failures.length === 0, failures };
  }
  const policy = r.policy;
  for (const [path, expected] of Object.entries(e.policy ?? {})) {
    const actual = at(policyView(policy), path);
    if (canonicalJson(actual) !== canonicalJson(expected)) {
      failures.push(`policy ${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
    }
  }
  if (test.step && test.sql)
    failures.push('a test case decides a step or a SQL statement, not both; split it');
  if (e.action !== undefined || e.rule !== undefined) {
    let decision: Decision | undefined;
    if (test.step) {
      decision = decideStep(policy, {
        name: test.step.name ?? 'step',
        kind: test.step.kind ?? 'shell',
        script: test.step.script,
        ...(test.step.target !== undefined ? { target: test.step.target } : {}),
      });
    } else if (test.sql) {
      decision = decideSqlBatch(policy, sqlInputs(test.sql));
    } else {
      failures.push('expect.action / expect.rule need a step or sql in the test case');
    }
    if (decision) {
      if (e.action !== undefined && decision.action !== e.action)
        failures.push(`expected ${e.action}, got ${decision.action}: ${decision.reason}`);
      const rule = decision.rule ?? 'none';
      if (e.rule !== undefined && rule !== e.rule)
        failures.push(`expected rule ${e.rule}, got ${rule}: ${decision.reason}`);
    }
  }
  return { test, ok: failures.length === 0, failures };
}

export function runTestCases(set: PolicySet, tests: TestCase[]): TestResult[] {
  return tests.map((t) => runTestCase(set, t));
}

export function assertTestsPresent(tests: TestCase[], dir: string): void {
  if (tests.length === 0) {
    throw new GuardError(
      'BAD_INPUT',
      `guard policy test: no test cases (*_test.yml) in ${dir}; a policy without tests proves nothing.`,
    );
  }
}

// `guard policy check|test|explain|schema`: the policy folder's own CI. Exit 0 when all is well, 1 when a
// policy is invalid, a test fails or (explain) the job would get no session, 2 on a usage mistake.
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { JobClaims } from '../lib/claims.js';
import { describeError, GuardError } from '../lib/errors.js';
import { analyzeSql } from '../pg-proxy/sql/analyze.js';
import { decideSqlBatch, decideStep } from './decide.js';
import { explain } from './explain.js';
import { isTestFile, listYamlFiles, readPolicyTexts } from './load.js';
import { policySchema } from './schema.js';
import { policySetFromTexts } from './set.js';
import { assertTestsPresent, parseTestFile, runTestCases } from './test-cases.js';
import type { TestCase } from './test-cases.js';
import type { Policy, PolicySet, StepKind } from './types.js';

interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  cwd?: string;
}

const USAGE = `Usage:
  guard policy check DIR                      validate every policy (and test file) in DIR
  guard policy test DIR [--verbose]           run the test cases in DIR/**/*_test.yml
  guard policy explain DIR --claims FILE [--fork] [--step SCRIPT [--step-name N] [--kind shell|db|ssh] [--target T]] [--sql TEXT [--target T]]
                                              the effective policy for a job, and why
  guard policy schema                         print the policy JSON Schema (for editors)
`;

export async function runPolicyCommand(argv: string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  const write = (text: string) => io.stdout.write(text);
  try {
    switch (sub) {
      case 'check':
        return await check(rest, io);
      case 'test':
        return await test(rest, io);
      case 'explain':
        return await explainCommand(rest, io);
      case 'schema':
        write(`${JSON.stringify(policySchema, null, 2)}\n`);
        return 0;
      case '--help':
      case '-h':
      case 'help':
        write(USAGE);
        return 0;
      default:
        io.stderr.write(sub === undefined ? USAGE : `guard policy: unknown command "${sub}"\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    if (error instanceof GuardError && error.code === 'BAD_INPUT') {
      io.stderr.write(`${error.message}\n`);
      return 2;
    }
    io.stderr.write(`${describeError(error)}\n`);
    return 1;
  }
}

function oneDir(args: string[], io: Io, command: string): string {
  if (args.length !== 1 || args[0]?.startsWith('-')) {
    throw new GuardError('BAD_INPUT', `guard policy ${command}: give exactly one policy folder\n${USAGE}`);
  }
  return resolve(io.cwd ?? process.cwd(), args[0] ?? '.');
}

async function loadAll(dir: string): Promise<{ set: PolicySet; tests: TestCase[] }> {
  const set = policySetFromTexts(await readPolicyTexts(dir));
  if (set.policies.length === 0) {
    throw new GuardError(
      'POLICY_INVALID',
      `guard: no policy files (*.yml) in ${dir}; every job would be denied.`,
    );
  }
  const tests: TestCase[] = [];
  const problems: string[] = [];
  for (const file of (await listYamlFiles(dir)).filter(isTestFile)) {
    try {
      tests.push(...parseTestFile(await readFile(join(dir, file), 'utf8'), file));
    } catch (error) {
      problems.push(describeError(error));
    }
  }
  if (problems.length > 0) throw new GuardError('POLICY_INVALID', problems.join('\n'));
  return { set, tests };
}

/** Advice that is not an error: matching only by names that can be renamed or re-registered. */
export function policyWarnings(p: Policy): string[] {
  const out: string[] = [];
  if (p.match.repository && !p.match.repository_id && !p.match.repository_owner_id) {
    out.push(
      `${p.source}: matches repository by name only; add repository_id or repository_owner_id so a renamed or re-created repository cannot inherit it`,
    );
  }
  if (p.kind === 'organization' && p.match.repository_owner && !p.match.repository_owner_id) {
    out.push(
      `${p.source}: matches repository_owner by name only; add repository_owner_id so a renamed owner's name cannot be taken over`,
    );
  }
  return out;
}

async function check(args: string[], io: Io): Promise<number> {
  const dir = oneDir(args, io, 'check');
  const { set, tests } = await loadAll(dir);
  for (const warning of set.policies.flatMap(policyWarnings)) io.stderr.write(`warning: ${warning}\n`);
  const names = set.policies.map((p) => `${p.name} (${p.kind}, ${p.source})`);
  io.stdout.write(
    `ok: ${set.policies.length} policies, ${tests.length} test cases in ${dir}\n  ${names.join('\n  ')}\n`,
  );
  return 0;
}

async function test(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { verbose: { type: 'boolean', short: 'v' } },
  });
  const dir = oneDir(positionals, io, 'test');
  const { set, tests } = await loadAll(dir);
  assertTestsPresent(tests, dir);
  const results = runTestCases(set, tests);
  let failed = 0;
  for (const r of results) {
    const where = `${r.test.file}:${r.test.line}`;
    if (r.ok) {
      if (values.verbose) io.stdout.write(`PASS ${where}: ${r.test.name}\n`);
      continue;
    }
    failed++;
    io.stdout.write(`FAIL ${where}: ${r.test.name}\n${r.failures.map((f) => `  ${f}\n`).join('')}`);
  }
  io.stdout.write(
    `${failed === 0 ? 'PASS' : 'FAIL'}: ${results.length - failed}/${results.length} test cases passed\n`,
  );
  return failed === 0 ? 0 : 1;
}

/** Claims as JSON, or a token (JWT) whose payload is read WITHOUT verification: explain only reads policy. */
export function parseClaims(text: string): JobClaims {
  const trimmed = text.trim();
  const parts = trimmed.split('.');
  if (!trimmed.startsWith('{') && parts.length === 3) {
    return JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8')) as JobClaims;
  }
  const parsed: unknown = JSON.parse(trimmed);
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new TypeError('claims must be a JSON object');
  return parsed as JobClaims;
}

async function explainCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      claims: { type: 'string' },
      fork: { type: 'boolean' },
      'no-fork': { type: 'boolean' },
      step: { type: 'string' },
      'step-name': { type: 'string' },
      kind: { type: 'string' },
      target: { type: 'string' },
      sql: { type: 'string' },
    },
  });
  const dir = oneDir(positionals, io, 'explain');
  if (!values.claims)
    throw new GuardError(
      'BAD_INPUT',
      `guard policy explain: --claims FILE.json is required (the job's OIDC token claims)\n${USAGE}`,
    );
  if (values.kind !== undefined && !['shell', 'db', 'ssh'].includes(values.kind)) {
    throw new GuardError('BAD_INPUT', `guard policy explain: --kind must be shell, db or ssh`);
  }
  const claimsPath = resolve(io.cwd ?? process.cwd(), values.claims);
  let claims: JobClaims;
  try {
    claims = parseClaims(await readFile(claimsPath, 'utf8'));
  } catch (error) {
    throw new GuardError(
      'BAD_INPUT',
      `guard policy explain: cannot read claims from ${claimsPath}: ${describeError(error)}`,
      { cause: error },
    );
  }
  const set = policySetFromTexts(await readPolicyTexts(dir));
  const decisions = [];
  if (values.step !== undefined) {
    const step = {
      name: values['step-name'] ?? 'step',
      kind: (values.kind ?? 'shell') as StepKind,
      script: values.step,
      ...(values.target !== undefined ? { target: values.target } : {}),
    };
    decisions.push({
      label: `Step "${step.name}"`,
      decide: (p: Parameters<typeof decideStep>[0]) => decideStep(p, step),
    });
  }
  if (values.sql !== undefined) {
    const statements = analyzeSql(values.sql).map((s) => ({
      ...s,
      ...(values.target !== undefined ? { target: values.target } : {}),
    }));
    decisions.push({
      label: 'SQL',
      decide: (p: Parameters<typeof decideSqlBatch>[0]) => decideSqlBatch(p, statements),
    });
  }
  const context = values.fork
    ? { pullRequestFromFork: true }
    : values['no-fork']
      ? { pullRequestFromFork: false }
      : {};
  const result = explain(set, { claims, context, decisions });
  io.stdout.write(result.text);
  return result.ok ? 0 : 1;
}

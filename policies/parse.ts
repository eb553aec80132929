// One policy file's text -> Policy. Pure: the schema checks the shape, then the checks a schema cannot
// express (regular expressions compile, durations are in range, the match fits the kind). Every error
// names file, line and field; all of a file's errors are reported at once.
import { createHash } from 'node:crypto';
import { GuardError } from '../lib/errors.js';
import { parseDuration } from './duration.js';
import { validatePolicyShape } from './schema.js';
import { MATCH_CLAIMS } from './types.js';
import type {
  MaskingPack,
  MaskingRule,
  Policy,
  PolicyKind,
  PolicyMatch,
  PolicyRunners,
  RecordingMode,
  RepositoryPermission,
  SqlClass,
  SqlRule,
  StepAction,
  StepKind,
  StepRule,
} from './types.js';
import { formatSchemaErrors, lineOf, pathToString, readYaml } from './yaml-source.js';
import type { PathSegment, YamlSource } from './yaml-source.js';

const MIN_EXPIRY_MS = 60_000;
const MAX_EXPIRY_MS = 30 * 86_400_000;

/** Raw document shape after schema validation (kebab-case keys as written). */
interface RawPolicy {
  kind: PolicyKind;
  name: string;
  description?: string;
  match: Record<string, string | number | (string | number)[]>;
  'allow-forks'?: boolean;
  'allow-pull-request-target'?: boolean;
  approvals?: {
    reviewers?: string[];
    min?: number;
    'expire-after'?: string;
    'allow-self-approval'?: boolean;
    'min-permission'?: RepositoryPermission;
    'pull-request-review-counts'?: boolean;
  };
  runners?: {
    labels?: string | string[];
    workflows?: string | string[];
    'require-guard'?: boolean;
    'job-approval'?: boolean;
  };
  steps?: {
    when?: {
      name?: string | string[];
      kind?: StepKind | StepKind[];
      target?: string | string[];
      'script-matches'?: string;
    };
    action: StepAction;
    reason?: string;
  }[];
  sql?: {
    when?: {
      statement?: SqlClass | SqlClass[];
      'without-where'?: boolean;
      tables?: string | string[];
      target?: string | string[];
      'text-matches'?: string;
    };
    action: StepAction;
    reason?: string;
  }[];
  masking?: { packs?: MaskingPack[]; columns?: string[]; rules?: MaskingRule[] };
  recording?: RecordingMode;
}

export function invalid(file: string, problems: string[], what = 'policy'): GuardError {
  const head =
    problems.length === 1 ? `guard: invalid ${what} ${problems[0]}` : `guard: invalid ${what} ${file}:`;
  const body = problems.length === 1 ? '' : `\n  ${problems.join('\n  ')}`;
  return new GuardError(
    'POLICY_INVALID',
    `${head}${body}\nFix the ${what} file; see docs/policies.md for every field.`,
  );
}

export function parsePolicy(text: string, fileName: string): Policy {
  const { source, errors } = readYaml(text, fileName);
  if (!source) throw invalid(fileName, errors);
  if (source.data === null || typeof source.data !== 'object' || Array.isArray(source.data)) {
    throw invalid(fileName, [`${fileName}:1: (document): must be a mapping with kind, name and match`]);
  }
  const schemaErrors = validatePolicyShape(source.data);
  if (schemaErrors) throw invalid(fileName, formatSchemaErrors(schemaErrors, source));
  const raw = source.data as RawPolicy;
  const problems: string[] = [];
  const at = (path: PathSegment[], message: string): void => {
    problems.push(`${fileName}:${lineOf(source.lines, path)}: ${pathToString(path)}: ${message}`);
  };
  const policy = normalise(raw, source, at);
  if (problems.length > 0) throw invalid(fileName, problems);
  return policy;
}

function list<T>(value: T | T[] | undefined): T[] | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value : [value];
}

function checkRegex(
  pattern: string,
  flags: string,
  path: PathSegment[],
  at: (p: PathSegment[], m: string) => void,
) {
  try {
    return new RegExp(pattern, flags);
  } catch (error) {
    at(path, `not a valid regular expression (${error instanceof Error ? error.message : String(error)})`);
    return undefined;
  }
}

function normalise(raw: RawPolicy, source: YamlSource, at: (p: PathSegment[], m: string) => void): Policy {
  const match: PolicyMatch = {};
  for (const claim of MATCH_CLAIMS) {
    const value = list(raw.match[claim]);
    if (value) match[claim] = value.map(String);
  }
  if (raw.kind === 'organization' && !match.repository_owner && !match.repository_owner_id) {
    at(
      ['match'],
      'an organization policy must match repository_owner or repository_owner_id (it sets floors per owner)',
    );
  }
  if (raw.kind === 'repository' && !match.repository && !match.repository_id) {
    at(['match'], 'a repository policy must match repository or repository_id');
  }

  const a = raw.approvals ?? {};
  let expireAfterMs: number | undefined;
  if (a['expire-after'] !== undefined) {
    expireAfterMs = parseDuration(a['expire-after']);
    if (expireAfterMs === undefined || expireAfterMs < MIN_EXPIRY_MS || expireAfterMs > MAX_EXPIRY_MS) {
      at(['approvals', 'expire-after'], 'must be between 1m and 30d');
    }
  }
  if (a.reviewers && a.min !== undefined && a.reviewers.length > 0) {
    const hasTeam = a.reviewers.some((r) => r.startsWith('@'));
    if (!hasTeam && a.min > a.reviewers.length) {
      at(
        ['approvals', 'min'],
        `needs ${a.min} approvals but only ${a.reviewers.length} reviewer(s) are listed`,
      );
    }
  }

  const steps: StepRule[] = (raw.steps ?? []).map((r, i) => {
    const w = r.when ?? {};
    if (w['script-matches'] !== undefined)
      checkRegex(w['script-matches'], '', ['steps', i, 'when', 'script-matches'], at);
    const when: StepRule['when'] = {};
    if (w.name !== undefined) when.name = list(w.name);
    if (w.kind !== undefined) when.kind = list(w.kind);
    if (w.target !== undefined) when.target = list(w.target);
    if (w['script-matches'] !== undefined) when.scriptMatches = w['script-matches'];
    return { when, action: r.action, ...(r.reason !== undefined ? { reason: r.reason } : {}) };
  });

  const sql: SqlRule[] = (raw.sql ?? []).map((r, i) => {
    const w = r.when ?? {};
    if (w['text-matches'] !== undefined)
      checkRegex(w['text-matches'], 'i', ['sql', i, 'when', 'text-matches'], at);
    const statement = list(w.statement);
    if (w['without-where'] !== undefined && statement?.some((c) => c !== 'update' && c !== 'delete')) {
      at(
        ['sql', i, 'when', 'without-where'],
        'only applies to update and delete statements; list only those',
      );
    }
    const when: SqlRule['when'] = {};
    if (statement) when.statement = statement;
    if (w['without-where'] !== undefined) when.withoutWhere = w['without-where'];
    if (w.tables !== undefined) when.tables = list(w.tables);
    if (w.target !== undefined) when.target = list(w.target);
    if (w['text-matches'] !== undefined) when.textMatches = w['text-matches'];
    return { when, action: r.action, ...(r.reason !== undefined ? { reason: r.reason } : {}) };
  });

  list(raw.runners?.workflows)?.forEach((pattern, i) => {
    // A workflow ref always ends in @<ref>, and a ref has a "/" that only ** crosses.
    if (!pattern.includes('@') && !pattern.includes('**')) {
      const path: PathSegment[] = Array.isArray(raw.runners?.workflows)
        ? ['runners', 'workflows', i]
        : ['runners', 'workflows'];
      at(
        path,
        `"${pattern}" can never match a workflow ref (owner/repo/.github/workflows/file.yml@ref); add @<ref> or @**`,
      );
    }
  });

  const maskingRules = raw.masking?.rules ?? [];
  maskingRules.forEach((rule, i) => {
    const re = checkRegex(rule.pattern, rule.flags ?? '', ['masking', 'rules', i, 'pattern'], at);
    if (re?.test(''))
      at(['masking', 'rules', i, 'pattern'], 'matches the empty string; it would mask nothing useful');
  });
  const names = maskingRules.map((r) => r.name);
  names.forEach((n, i) => {
    if (names.indexOf(n) !== i) at(['masking', 'rules', i, 'name'], `duplicate rule name "${n}"`);
  });

  const approvals: Policy['approvals'] = {};
  if (a.reviewers !== undefined) approvals.reviewers = a.reviewers;
  if (a.min !== undefined) approvals.min = a.min;
  if (expireAfterMs !== undefined) approvals.expireAfterMs = expireAfterMs;
  if (a['allow-self-approval'] !== undefined) approvals.allowSelfApproval = a['allow-self-approval'];
  if (a['min-permission'] !== undefined) approvals.minPermission = a['min-permission'];
  if (a['pull-request-review-counts'] !== undefined)
    approvals.pullRequestReviewCounts = a['pull-request-review-counts'];

  const policy: Policy = {
    name: raw.name,
    kind: raw.kind,
    source: source.file,
    version: '',
    match,
    approvals,
    steps,
    sql,
    masking: {
      ...(raw.masking?.packs !== undefined ? { packs: raw.masking.packs } : {}),
      columns: raw.masking?.columns ?? [],
      rules: maskingRules.map((r) => ({
        name: r.name,
        pattern: r.pattern,
        ...(r.flags ? { flags: r.flags } : {}),
      })),
    },
    lines: source.lines,
  };
  if (raw.description !== undefined) policy.description = raw.description;
  if (raw['allow-forks'] !== undefined) policy.allowForks = raw['allow-forks'];
  if (raw['allow-pull-request-target'] !== undefined)
    policy.allowPullRequestTarget = raw['allow-pull-request-target'];
  if (raw.recording !== undefined) policy.recording = raw.recording;
  if (raw.runners !== undefined) policy.runners = normaliseRunners(raw.runners);
  policy.version = policyVersion(policy);
  return policy;
}

function normaliseRunners(r: NonNullable<RawPolicy['runners']>): PolicyRunners {
  const runners: PolicyRunners = {};
  const labels = list(r.labels);
  const workflows = list(r.workflows);
  if (labels) runners.labels = labels;
  if (workflows) runners.workflows = workflows;
  if (r['require-guard'] !== undefined) runners.requireGuard = r['require-guard'];
  if (r['job-approval'] !== undefined) runners.jobApproval = r['job-approval'];
  return runners;
}

/** `sha256:<hex>` of the normalised policy (comments, key order, layout and file name do not count). */
export function policyVersion(policy: Policy): string {
  const { lines: _lines, source: _source, version: _version, ...meaning } = policy;
  return `sha256:${createHash('sha256').update(canonicalJson(meaning)).digest('hex')}`;
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

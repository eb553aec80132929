// The shapes of guard's policy: what a policy file says once parsed (Policy), and what one job is
// governed by once its matching policies are layered (EffectivePolicy). Everything here is plain JSON
// data, so the server can return the effective policy with the session and the runner can evaluate it.

export type StepAction = 'allow' | 'require-approval' | 'block';
export type StepKind = 'shell' | 'db' | 'ssh';
export type PolicyKind = 'organization' | 'repository';
export type RecordingMode = 'strict' | 'best_effort';

/** Statement classes the Postgres proxy assigns to SQL. */
export const SQL_CLASSES = [
  'select',
  'insert',
  'update',
  'delete',
  'create',
  'alter',
  'drop',
  'truncate',
  'grant',
  'revoke',
  'copy',
  'do',
  'call',
  'other',
] as const;
export type SqlClass = (typeof SQL_CLASSES)[number];

/** Masking rule packs the masker ships; absent `masking.packs` means all of them. */
export const MASKING_PACKS = ['secrets', 'pii-common', 'pii-br', 'pii-us', 'pii-eu'] as const;
export type MaskingPack = (typeof MASKING_PACKS)[number];

/** The claims a policy can match on: GitHub's claim names, unchanged. */
export const MATCH_CLAIMS = [
  'repository',
  'repository_id',
  'repository_owner',
  'repository_owner_id',
  'ref',
  'ref_type',
  'environment',
  'event_name',
  'workflow_ref',
  'job_workflow_ref',
  'runner_environment',
  'actor',
] as const;
export type MatchClaim = (typeof MATCH_CLAIMS)[number];

/** Each claim maps to glob patterns; a job matches when every listed claim matches one of its patterns. */
export type PolicyMatch = Partial<Record<MatchClaim, string[]>>;

/** GitHub's repository permissions (role names), weakest first: the order `min-permission` compares in. */
export const REPOSITORY_PERMISSIONS = ['read', 'triage', 'write', 'maintain', 'admin'] as const;
export type RepositoryPermission = (typeof REPOSITORY_PERMISSIONS)[number];

export interface ApprovalRules {
  /** GitHub user names or `@org/team`; empty means any user with write access to the repository. */
  reviewers: string[];
  min: number;
  expireAfterMs: number;
  allowSelfApproval: boolean;
  /** A reviewer must also hold at least this permission on the repository; absent: no such requirement. */
  minPermission?: RepositoryPermission;
  /** Whether an approving pull request review counts as an approval vote. */
  pullRequestReviewCounts: boolean;
}

/** A policy's `runners` section as written (absent fields stay absent; lists are never empty). */
export interface PolicyRunners {
  labels?: string[];
  workflows?: string[];
  requireGuard?: boolean;
  jobApproval?: boolean;
}

/** One matched policy's list of allowed runner labels or workflows: a job must satisfy every such layer. */
export interface RunnerPatterns {
  policy: string;
  source: string;
  patterns: string[];
}

/** What self-hosted runner hooks enforce for a job, layered across every matched policy. */
export interface RunnerRules {
  /** Each layer: the runner must carry a label matching one of its globs (case-insensitive). No layers: any runner. */
  labels: RunnerPatterns[];
  /** Each layer: workflow_ref or job_workflow_ref must match one of its globs. No layers: any workflow. */
  workflows: RunnerPatterns[];
  /** The job fails at the end unless at least one step ran under guard. */
  requireGuard: boolean;
  /** The whole job waits for the policy's reviewers before it starts. */
  jobApproval: boolean;
}

export interface StepWhen {
  name?: string[];
  kind?: StepKind[];
  target?: string[];
  /** A JavaScript regular expression tested against the script text. */
  scriptMatches?: string;
}

export interface SqlWhen {
  statement?: SqlClass[];
  /** true: only UPDATE/DELETE without WHERE; false: only with WHERE; absent: either. */
  withoutWhere?: boolean;
  tables?: string[];
  target?: string[];
  /** A case-insensitive JavaScript regular expression tested against the statement text. */
  textMatches?: string;
}

export interface StepRule {
  when: StepWhen;
  action: StepAction;
  reason?: string;
}

export interface SqlRule {
  when: SqlWhen;
  action: StepAction;
  reason?: string;
}

export interface MaskingRule {
  name: string;
  pattern: string;
  flags?: string;
}

/** What one policy file says, with the secure defaults NOT yet applied (absent stays absent, so layering
 * can tell "the repository did not say" from "the repository said the default"). */
export interface Policy {
  name: string;
  kind: PolicyKind;
  /** File name as given to the parser (relative to the policy folder when loaded from one). */
  source: string;
  /** `sha256:<hex>` of the normalised policy document. */
  version: string;
  description?: string;
  match: PolicyMatch;
  allowForks?: boolean;
  allowPullRequestTarget?: boolean;
  approvals: {
    reviewers?: string[];
    min?: number;
    expireAfterMs?: number;
    allowSelfApproval?: boolean;
    minPermission?: RepositoryPermission;
    pullRequestReviewCounts?: boolean;
  };
  runners?: PolicyRunners;
  steps: StepRule[];
  sql: SqlRule[];
  masking: { packs?: MaskingPack[]; columns: string[]; rules: MaskingRule[] };
  recording?: RecordingMode;
  /** 1-based line of each field path (e.g. "approvals.min", "steps[0]"), for error messages. */
  lines: Record<string, number>;
}

export interface PolicySet {
  policies: Policy[];
}

/** The rules of one matched policy, kept apart so a rule is evaluated first-match within its own policy. */
export interface RuleGroup<R> {
  policy: string;
  kind: PolicyKind;
  source: string;
  rules: R[];
}

export interface EffectivePolicy {
  /** Names of the matched policies, organization first, joined with " + ". */
  name: string;
  /** `sha256:<hex>` over the versions of the matched policies. */
  version: string;
  /** Source files of the matched policies, organization first. */
  sources: string[];
  approvals: ApprovalRules;
  masking: { packs: string[]; columns: string[]; rules: MaskingRule[] };
  recording: RecordingMode;
  runners: RunnerRules;
  steps: RuleGroup<StepRule>[];
  sql: RuleGroup<SqlRule>[];
  /** Why each field has its value: one line per field, for `guard policy explain` and the job summary. */
  explain: string[];
}

export interface Decision {
  action: StepAction;
  /** The rule that decided, e.g. "acme-prod.yml steps[0]"; absent when no rule matched (default allow). */
  rule?: string;
  reason: string;
}

export interface StepInput {
  name: string;
  kind: StepKind;
  target?: string;
  script: string;
}

export interface SqlInput {
  class: string;
  tables: readonly string[];
  withoutWhere: boolean;
  text: string;
  /** The registered database the statement goes to (`guard --db NAME`). */
  target?: string;
}

/** Facts about the job that are not in its OIDC token; the server establishes them from GitHub's API. */
export interface JobContext {
  /** Whether a pull_request* job runs for a pull request whose head is in a fork. Unknown is treated as a fork. */
  pullRequestFromFork?: boolean;
}

export type Resolution =
  | { ok: true; policy: EffectivePolicy }
  | { ok: false; reason: string; unmatched: { policy: string; claims: string[]; details: string[] }[] };

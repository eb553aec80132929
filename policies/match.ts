// Which policies govern a job, and the effective policy they add up to. Default deny: no matching
// policy, no session, and the refusal names the claims that did not match. Layering: every matching
// policy applies; the strictest value of each field wins (organization floors can only be raised).
import { createHash } from 'node:crypto';
import type { JobClaims } from '../lib/claims.js';
import { claimValue, matchClaims } from './claim-match.js';
import { formatDuration } from './duration.js';
import { DEFAULTS, permissionRank } from './strictness.js';
import { MASKING_PACKS } from './types.js';
import type {
  ApprovalRules,
  EffectivePolicy,
  JobContext,
  MaskingRule,
  Policy,
  PolicySet,
  RepositoryPermission,
  Resolution,
  RunnerPatterns,
  RunnerRules,
} from './types.js';

/** Events whose job runs for a pull request, where the pull request may come from a fork. */
const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_review', 'pull_request_review_comment']);

export function resolvePolicy(set: PolicySet, claims: JobClaims, context: JobContext = {}): Resolution {
  const matched: Policy[] = [];
  const unmatched: { policy: string; claims: string[]; details: string[] }[] = [];
  for (const policy of set.policies) {
    const misses = matchClaims(policy.match, claims);
    if (misses.length === 0) matched.push(policy);
    else
      unmatched.push({
        policy: policy.name,
        claims: misses.map((m) => m.claim),
        details: misses.map((m) => m.detail),
      });
  }
  const job = describeJob(claims);
  if (matched.length === 0) {
    const nearest = [...unmatched].sort((a, b) => a.claims.length - b.claims.length).slice(0, 3);
    const why = nearest.map((u) => `${u.policy}: ${u.details.join('; ')}`).join(' | ');
    const reason =
      set.policies.length === 0
        ? `guard: no policy governs ${job}: the server has no policies loaded. Ask the platform team to add one.`
        : `guard: no policy governs ${job}, so it gets no session (default deny). Claims that did not match: ${why}. ` +
          'Ask the platform team for a policy that matches this job, or run it where an existing policy applies.';
    return { ok: false, reason, unmatched };
  }

  const event = claimValue(claims, 'event_name') ?? '';
  const refusals: { policy: string; claims: string[]; details: string[] }[] = [];
  if (PULL_REQUEST_EVENTS.has(event)) {
    const fork = context.pullRequestFromFork ?? true;
    if (fork) {
      const why =
        context.pullRequestFromFork === undefined
          ? 'it is not known whether the pull request comes from a fork, so guard treats it as one'
          : 'the pull request comes from a fork';
      for (const p of matched.filter((m) => m.allowForks !== true)) {
        refusals.push({
          policy: p.name,
          claims: ['event_name'],
          details: [`${event}: ${why}; the policy does not set allow-forks: true`],
        });
      }
    }
  }
  if (event === 'pull_request_target') {
    for (const p of matched.filter((m) => m.allowPullRequestTarget !== true)) {
      refusals.push({
        policy: p.name,
        claims: ['event_name'],
        details: [
          "pull_request_target runs with the base repository's rights on a pull request's code; the policy does not set allow-pull-request-target: true",
        ],
      });
    }
  }
  if (refusals.length > 0) {
    const reason =
      `guard: ${job} gets no session: ${refusals.map((r) => `${r.policy}: ${r.details.join('; ')}`).join(' | ')}. ` +
      'Every policy that governs the job must allow this explicitly.';
    return { ok: false, reason, unmatched: refusals };
  }
  return { ok: true, policy: layer(matched) };
}

function describeJob(claims: JobClaims): string {
  const v = (c: string) => claimValue(claims, c) ?? '-';
  return `the job (repository ${v('repository')} #${v('repository_id')}, ref ${v('ref')}, environment ${v('environment')}, event ${v('event_name')}, workflow ${v('job_workflow_ref') === '-' ? v('workflow_ref') : v('job_workflow_ref')})`;
}

/** Layers the matched policies (organization first) into one effective policy. */
export function layer(matched: Policy[]): EffectivePolicy {
  const ordered = [...matched].sort((a, b) =>
    a.kind === b.kind ? (a.name < b.name ? -1 : 1) : a.kind === 'organization' ? -1 : 1,
  );
  const explain: string[] = [];
  const said = <T>(pick: (p: Policy) => T | undefined, show: (v: T) => string): string =>
    ordered
      .map((p) => {
        const v = pick(p);
        return `${p.name}: ${v === undefined ? 'not set' : show(v)}`;
      })
      .join(', ');

  const min = Math.max(...ordered.map((p) => p.approvals.min ?? DEFAULTS.min));
  explain.push(
    `approvals.min = ${min}: the highest of (${said((p) => p.approvals.min, String)}; default ${DEFAULTS.min})`,
  );

  const expireAfterMs = Math.min(...ordered.map((p) => p.approvals.expireAfterMs ?? DEFAULTS.expireAfterMs));
  explain.push(
    `approvals.expire-after = ${formatDuration(expireAfterMs)}: the shortest of (${said((p) => p.approvals.expireAfterMs, formatDuration)}; default ${formatDuration(DEFAULTS.expireAfterMs)})`,
  );

  const allowSelfApproval = ordered.every((p) => p.approvals.allowSelfApproval === true);
  explain.push(
    `approvals.allow-self-approval = ${allowSelfApproval}: true only if every policy says true (${said((p) => p.approvals.allowSelfApproval, String)})`,
  );

  let minPermission: RepositoryPermission | undefined;
  for (const p of ordered) {
    const v = p.approvals.minPermission;
    if (v !== undefined && (minPermission === undefined || permissionRank(v) > permissionRank(minPermission)))
      minPermission = v;
  }
  explain.push(
    minPermission !== undefined
      ? `approvals.min-permission = ${minPermission}: the highest of (${said((p) => p.approvals.minPermission, String)})`
      : 'approvals.min-permission = not set: no policy sets one, so reviewers need no repository permission beyond the reviewer list',
  );

  const pullRequestReviewCounts = ordered.every((p) => p.approvals.pullRequestReviewCounts === true);
  explain.push(
    `approvals.pull-request-review-counts = ${pullRequestReviewCounts}: true only if every policy says true (${said((p) => p.approvals.pullRequestReviewCounts, String)})`,
  );

  // Reviewers are not a floor: the most specific layer that names them decides who reviews.
  const repoReviewers = ordered.filter((p) => p.kind === 'repository' && p.approvals.reviewers?.length);
  const orgReviewers = ordered.filter((p) => p.kind === 'organization' && p.approvals.reviewers?.length);
  const reviewerSource = repoReviewers.length > 0 ? repoReviewers : orgReviewers;
  const reviewers = [...new Set(reviewerSource.flatMap((p) => p.approvals.reviewers ?? []))];
  explain.push(
    reviewers.length > 0
      ? `approvals.reviewers = ${reviewers.join(', ')}: from ${reviewerSource.map((p) => p.name).join(', ')} (${repoReviewers.length > 0 ? 'repository' : 'organization'} layer)`
      : 'approvals.reviewers = any user with write access to the repository: no policy names reviewers',
  );

  const packSet = new Set(ordered.flatMap((p) => p.masking.packs ?? DEFAULTS.packs));
  const packs = MASKING_PACKS.filter((p) => packSet.has(p));
  explain.push(
    `masking.packs = ${packs.join(', ')}: the union of (${said(
      (p) => p.masking.packs,
      (v) => v.join(', ') || 'none',
    )}; not set means all packs)`,
  );
  const columns = [...new Set(ordered.flatMap((p) => p.masking.columns))];
  const rules: MaskingRule[] = [];
  const seen = new Set<string>();
  for (const r of ordered.flatMap((p) => p.masking.rules)) {
    const key = `${r.name}\0${r.pattern}\0${r.flags ?? ''}`;
    if (!seen.has(key)) rules.push(r);
    seen.add(key);
  }
  explain.push(
    `masking.columns and masking.rules: the union of every policy's (${columns.length} columns, ${rules.length} rules)`,
  );

  const recording = ordered.some((p) => (p.recording ?? DEFAULTS.recording) === 'strict')
    ? 'strict'
    : 'best_effort';
  explain.push(
    `recording = ${recording}: strict unless every policy says best_effort (${said((p) => p.recording, String)}; default strict)`,
  );

  const runners = layerRunners(ordered, explain, said);

  const steps = ordered
    .filter((p) => p.steps.length > 0)
    .map((p) => ({ policy: p.name, kind: p.kind, source: p.source, rules: p.steps }));
  const sql = ordered
    .filter((p) => p.sql.length > 0)
    .map((p) => ({ policy: p.name, kind: p.kind, source: p.source, rules: p.sql }));
  explain.push(
    "steps and sql: each policy's rules are evaluated first-match within that policy; the strictest decision across policies wins",
  );

  const version = `sha256:${createHash('sha256')
    .update(ordered.map((p) => `${p.name}=${p.version}`).join('\n'))
    .digest('hex')}`;
  return {
    name: ordered.map((p) => p.name).join(' + '),
    version,
    sources: ordered.map((p) => p.source),
    approvals: {
      reviewers,
      min,
      expireAfterMs,
      allowSelfApproval,
      ...(minPermission !== undefined ? { minPermission } : {}),
      pullRequestReviewCounts,
    } satisfies ApprovalRules,
    masking: { packs, columns, rules },
    recording,
    runners,
    steps,
    sql,
    explain,
  };
}

/** Runner labels and workflows are not merged: each policy that lists some is a gate of its own, because a
 * runner's labels describe different things (pool, region, hardware) that different layers each require. */
function layerRunners(
  ordered: Policy[],
  explain: string[],
  said: <T>(pick: (p: Policy) => T | undefined, show: (v: T) => string) => string,
): RunnerRules {
  const gates = (field: 'labels' | 'workflows'): RunnerPatterns[] =>
    ordered.flatMap((p) => {
      const patterns: unknown = p.runners?.[field];
      if (patterns === undefined) return [];
      // parsePolicy always gives a non-empty list of strings; a policy object built some other way that
      // does not becomes a gate no job passes (fail closed), which checkRunnerGates names as malformed.
      const wellFormed =
        Array.isArray(patterns) && patterns.every((x): x is string => typeof x === 'string' && x !== '');
      return [{ policy: p.name, source: p.source, patterns: wellFormed ? patterns : [] }];
    });
  const labels = gates('labels');
  const workflows = gates('workflows');
  const describe = (field: string, list: RunnerPatterns[], what: string): string =>
    list.length > 0
      ? `runners.${field}: ${what} satisfy every one of (${list.map((g) => `${g.policy}: ${g.patterns.join(' or ')}`).join('; ')})`
      : `runners.${field}: any (no policy lists ${field})`;
  explain.push(
    describe('labels', labels, "the runner's labels must"),
    describe('workflows', workflows, "the job's job_workflow_ref or workflow_ref must"),
  );
  const requireGuard = ordered.some((p) => p.runners?.requireGuard === true);
  explain.push(
    `runners.require-guard = ${requireGuard}: true if any policy says true (${said((p) => p.runners?.requireGuard, String)}; default false)`,
  );
  const jobApproval = ordered.some((p) => p.runners?.jobApproval === true);
  explain.push(
    `runners.job-approval = ${jobApproval}: true if any policy says true (${said((p) => p.runners?.jobApproval, String)}; default false)`,
  );
  return { labels, workflows, requireGuard, jobApproval };
}

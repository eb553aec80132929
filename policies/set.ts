// Parsed policies -> PolicySet, checking what only the whole set can show: unique names, and no
// repository policy that tries to weaken a floor of an organization policy that can govern the same
// jobs. Weakening is refused here, at load time, rather than silently overridden at run time.
import { GuardError } from '../lib/errors.js';
import { matchesMayOverlap } from './claim-match.js';
import { formatDuration } from './duration.js';
import { parsePolicy } from './parse.js';
import { sqlRuleAddresses, stepRuleAddresses } from './rule-match.js';
import { actionRank, DEFAULTS, permissionRank } from './strictness.js';
import type { Policy, PolicySet } from './types.js';

/** Builds a set from already-parsed policies (pure; the server uses it for the embedded default pack). */
export function buildPolicySet(policies: Policy[]): PolicySet {
  const problems: string[] = [];
  const byName = new Map<string, Policy>();
  for (const p of policies) {
    const other = byName.get(p.name);
    if (other)
      problems.push(
        `${p.source}:${p.lines.name ?? 1}: name: "${p.name}" is also the name of ${other.source}`,
      );
    else byName.set(p.name, p);
  }
  const orgs = policies.filter((p) => p.kind === 'organization');
  for (const repo of policies.filter((p) => p.kind === 'repository')) {
    for (const org of orgs) {
      if (matchesMayOverlap(org.match, repo.match)) problems.push(...weakenings(org, repo));
    }
  }
  if (problems.length > 0) {
    throw new GuardError(
      'POLICY_INVALID',
      `guard: the policy set is invalid:\n  ${problems.join('\n  ')}\n` +
        'A repository policy may only be stricter than the organization policies that also govern its jobs; ' +
        'raise the repository value, or change the organization policy if the floor itself should move.',
    );
  }
  const sorted = [...policies].sort((a, b) =>
    a.kind === b.kind ? (a.name < b.name ? -1 : 1) : a.kind === 'organization' ? -1 : 1,
  );
  return { policies: sorted };
}

/** Parses `{ fileName: text }` and builds the set; every file's errors are reported together. */
export function policySetFromTexts(files: Record<string, string>): PolicySet {
  const policies: Policy[] = [];
  const problems: string[] = [];
  for (const [file, text] of Object.entries(files)) {
    try {
      policies.push(parsePolicy(text, file));
    } catch (error) {
      if (error instanceof GuardError) problems.push(error.message);
      else throw error;
    }
  }
  if (problems.length > 0) throw new GuardError('POLICY_INVALID', problems.join('\n'));
  return buildPolicySet(policies);
}

function weakenings(org: Policy, repo: Policy): string[] {
  const out: string[] = [];
  const at = (field: string, message: string): void => {
    const floorLine = org.lines[field] ?? org.lines[field.split('.')[0] ?? ''] ?? 1;
    out.push(
      `${repo.source}:${repo.lines[field] ?? 1}: ${field}: ${message} ` +
        `(floor set by organization policy "${org.name}", ${org.source}:${floorLine})`,
    );
  };
  const ra = repo.approvals;
  const oa = org.approvals;
  const floorMin = oa.min ?? DEFAULTS.min;
  if (ra.min !== undefined && ra.min < floorMin)
    at('approvals.min', `${ra.min} is below the floor of ${floorMin}`);
  const floorExpiry = oa.expireAfterMs ?? DEFAULTS.expireAfterMs;
  if (ra.expireAfterMs !== undefined && ra.expireAfterMs > floorExpiry) {
    at(
      'approvals.expire-after',
      `${formatDuration(ra.expireAfterMs)} is longer than the ceiling of ${formatDuration(floorExpiry)}`,
    );
  }
  if (ra.allowSelfApproval === true && oa.allowSelfApproval !== true) {
    at('approvals.allow-self-approval', 'allows self-approval, which the organization does not');
  }
  if (
    ra.minPermission !== undefined &&
    oa.minPermission !== undefined &&
    permissionRank(ra.minPermission) < permissionRank(oa.minPermission)
  ) {
    at('approvals.min-permission', `${ra.minPermission} is below the floor of ${oa.minPermission}`);
  }
  if (ra.pullRequestReviewCounts === true && oa.pullRequestReviewCounts !== true) {
    at(
      'approvals.pull-request-review-counts',
      'counts pull request reviews as approvals, which the organization does not',
    );
  }
  if (repo.runners?.requireGuard === false && org.runners?.requireGuard === true) {
    at('runners.require-guard', 'false, but the organization requires guard in every self-hosted job');
  }
  if (repo.runners?.jobApproval === false && org.runners?.jobApproval === true) {
    at('runners.job-approval', 'false, but the organization requires approval before every self-hosted job');
  }
  if (repo.masking.packs) {
    const floor = org.masking.packs ?? DEFAULTS.packs;
    const missing = floor.filter((p) => !repo.masking.packs?.includes(p as never));
    if (missing.length > 0) at('masking.packs', `drops masking pack(s) ${missing.join(', ')}`);
  }
  if (repo.recording === 'best_effort' && (org.recording ?? DEFAULTS.recording) === 'strict') {
    at('recording', 'best_effort is weaker than strict');
  }
  if (repo.allowForks === true && org.allowForks !== true) {
    at('allow-forks', 'allows pull requests from forks, which the organization does not');
  }
  if (repo.allowPullRequestTarget === true && org.allowPullRequestTarget !== true) {
    at('allow-pull-request-target', 'allows pull_request_target, which the organization does not');
  }
  repo.steps.forEach((r, i) => {
    org.steps.forEach((o, j) => {
      if (actionRank(r.action) < actionRank(o.action) && stepRuleAddresses(r.when, o.when)) {
        at(`steps[${i}]`, `${r.action} for steps that organization rule steps[${j}] decides ${o.action}`);
      }
    });
  });
  repo.sql.forEach((r, i) => {
    org.sql.forEach((o, j) => {
      if (actionRank(r.action) < actionRank(o.action) && sqlRuleAddresses(r.when, o.when)) {
        at(`sql[${i}]`, `${r.action} for statements that organization rule sql[${j}] decides ${o.action}`);
      }
    });
  });
  return out;
}

// Approval rules that only GitHub can answer: a minimum repository permission for reviewers, and whether
// an approving pull request review counts. They are read from the effective policy (the session's, or the
// one resolved for a deployment) under `approvals.minPermission` and `approvals.pullRequestReviewCounts`;
// a policy that does not set them gets the strict reading (no permission floor beyond the reviewer list,
// reviews do not count).
import type { ApprovalState } from '../approvals.js';
import type { ServerContext } from '../context.js';

export const PERMISSION_ORDER = ['read', 'triage', 'write', 'maintain', 'admin'] as const;
export type RepositoryPermission = (typeof PERMISSION_ORDER)[number];

export interface GitHubRules {
  minPermission?: RepositoryPermission;
  pullRequestReviewCounts: boolean;
}

export function rulesFromPolicyApprovals(approvals: unknown): GitHubRules {
  const a = (typeof approvals === 'object' && approvals !== null ? approvals : {}) as Record<string, unknown>;
  const min = a.minPermission;
  return {
    ...(typeof min === 'string' && (PERMISSION_ORDER as readonly string[]).includes(min)
      ? { minPermission: min as RepositoryPermission }
      : {}),
    pullRequestReviewCounts: a.pullRequestReviewCounts === true,
  };
}

export async function rulesFor(ctx: ServerContext, approval: ApprovalState): Promise<GitHubRules> {
  if (approval.context.github_rules !== undefined)
    return rulesFromPolicyApprovals(approval.context.github_rules);
  if (!approval.sessionId) return { pullRequestReviewCounts: false };
  const { rows } = await ctx.db.query<{ policy: { approvals?: unknown } }>(
    'select policy from sessions where id = $1',
    [approval.sessionId],
  );
  return rulesFromPolicyApprovals(rows[0]?.policy.approvals);
}

/** Whether `role` (GitHub's role_name, or the legacy permission) reaches `minimum`. */
export function permissionAtLeast(role: string, minimum: RepositoryPermission): boolean {
  const have = PERMISSION_ORDER.indexOf(role as RepositoryPermission);
  return have >= 0 && have >= PERMISSION_ORDER.indexOf(minimum);
}

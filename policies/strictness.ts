// Orders of strictness shared by layering (load time) and evaluation (run time): what "stricter" means
// for each field, and the secure default when a field is absent.
import { MASKING_PACKS, REPOSITORY_PERMISSIONS } from './types.js';
import type { RepositoryPermission, StepAction } from './types.js';

export const DEFAULTS = {
  min: 1,
  expireAfterMs: 3_600_000,
  allowSelfApproval: false,
  recording: 'strict',
  packs: MASKING_PACKS as readonly string[],
  allowForks: false,
  allowPullRequestTarget: false,
  /** Absent min-permission: no permission requirement beyond the reviewer list. */
  minPermission: undefined,
  pullRequestReviewCounts: false,
  requireGuard: false,
  jobApproval: false,
} as const;

/** 0 for read up to 4 for admin: a higher minimum permission is stricter. */
export function permissionRank(permission: RepositoryPermission): number {
  return REPOSITORY_PERMISSIONS.indexOf(permission);
}

const RANK: Record<StepAction, number> = { allow: 0, 'require-approval': 1, block: 2 };

export function actionRank(action: StepAction): number {
  return RANK[action];
}

export function stricterAction(a: StepAction, b: StepAction): StepAction {
  return RANK[b] > RANK[a] ? b : a;
}

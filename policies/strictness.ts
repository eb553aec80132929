// Orders of strictness shared by layering (load time) and evaluation (run time): what "stricter" means
// for each field, and the secure default when a field is absent.
import { MASKING_PACKS } from './types.js';
import type { StepAction } from './types.js';

export const DEFAULTS = {
  min: 1,
  expireAfterMs: 3_600_000,
  allowSelfApproval: false,
  recording: 'strict',
  packs: MASKING_PACKS as readonly string[],
  allowForks: false,
  allowPullRequestTarget: false,
} as const;

const RANK: Record<StepAction, number> = { allow: 0, 'require-approval': 1, block: 2 };

export function actionRank(action: StepAction): number {
  return RANK[action];
}

export function stricterAction(a: StepAction, b: StepAction): StepAction {
  return RANK[b] > RANK[a] ? b : a;
}

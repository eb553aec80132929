// May this runner run this job, and on what terms? Pure. The job must be governed by a policy (default
// deny), and the effective policy's `runners` gates must all hold (policies/runners.ts checks them).
import type { JobClaims } from '../../lib/claims.js';
import { resolvePolicy } from '../../policies/match.js';
import { checkRunnerGates } from '../../policies/runners.js';
import type { EffectivePolicy, JobContext, PolicySet } from '../../policies/types.js';
import type { RunnerIdentity } from './runner-credentials.js';

export type RunnerJobVerdict =
  | { action: 'refuse'; reason: string; policy: string | null }
  | {
      action: 'allow' | 'require-approval';
      reason: string;
      policy: EffectivePolicy;
      requireGuard: boolean;
    };

export function decideRunnerJob(
  set: PolicySet,
  claims: JobClaims,
  context: JobContext,
  runner: Pick<RunnerIdentity, 'name' | 'labels'>,
): RunnerJobVerdict {
  const who = `runner ${runner.name}`;
  const resolution = resolvePolicy(set, claims, context);
  if (!resolution.ok)
    return { action: 'refuse', reason: `${who} may not run this job: ${resolution.reason}`, policy: null };
  const policy = resolution.policy;
  const g = checkRunnerGates(policy, runner, claims);
  if (!g.ok)
    return { action: 'refuse', reason: `${who} may not run this job: ${g.reason}`, policy: policy.name };
  const requireGuard = policy.runners.requireGuard;
  if (policy.runners.jobApproval)
    return {
      action: 'require-approval',
      reason: `policy ${askingForApproval(set, policy).join(', ')} requires approval before a job starts on a self-hosted runner`,
      policy,
      requireGuard,
    };
  return { action: 'allow', reason: `allowed by policy ${policy.name}`, policy, requireGuard };
}

/** The governing policies that ask for job approval, so the author and reviewer see who asks. */
function askingForApproval(set: PolicySet, policy: EffectivePolicy): string[] {
  // Names are unique in a set and cannot hold " + ", so the effective name lists the governing policies.
  const governing = new Set(policy.name.split(' + '));
  const asking = set.policies
    .filter((p) => governing.has(p.name) && p.runners?.jobApproval === true)
    .map((p) => p.name);
  // Never empty when jobApproval is true; the effective name is the honest fallback if it were.
  return asking.length > 0 ? asking : [policy.name];
}

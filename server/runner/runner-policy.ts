// May this runner run this job, and on what terms? Pure. The job must be governed by a policy (default
// deny), and every matching policy's `runners` section must allow it: the strictest answer wins.
//
// `runners` is not in the policy schema yet (the policy engine owns it); until it is, it is read
// defensively from the parsed policy objects, kebab-case or camelCase, and a malformed one refuses the job.
import type { JobClaims } from '../../lib/claims.js';
import { matchClaims } from '../../policies/claim-match.js';
import { globMatch } from '../../policies/glob.js';
import { resolvePolicy } from '../../policies/match.js';
import type { EffectivePolicy, JobContext, Policy, PolicySet } from '../../policies/types.js';
import type { RunnerIdentity } from './runner-credentials.js';

export interface RunnerRules {
  /** The job may run only on a runner carrying a label that matches one of these globs. */
  labels?: string[];
  /** The job's workflow_ref must match one of these globs. */
  workflows?: string[];
  requireGuard?: boolean;
  jobApproval?: boolean;
}

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
  const matched = set.policies.filter((p) => matchClaims(p.match, claims).length === 0);
  let requireGuard = false;
  const approvalBy: string[] = [];
  for (const p of matched) {
    const read = readRunnerRules(p);
    if ('error' in read)
      return { action: 'refuse', reason: `${who} may not run this job: ${read.error}`, policy: policy.name };
    const rules = read.rules;
    if (!rules) continue;
    if (rules.labels) {
      const patterns = rules.labels;
      const fits = runner.labels.some((label) =>
        patterns.some((pattern) => globMatch(pattern, label, { ignoreCase: true })),
      );
      if (!fits)
        return {
          action: 'refuse',
          reason:
            `${who} may not run this job: policy ${p.name} allows it only on runners labelled ${patterns.join(' or ')}, ` +
            `and this runner has ${runner.labels.length > 0 ? runner.labels.join(', ') : 'no labels'}. Use runs-on with a runner that carries one of them.`,
          policy: policy.name,
        };
    }
    if (rules.workflows) {
      const patterns = rules.workflows;
      const workflow = typeof claims.workflow_ref === 'string' ? claims.workflow_ref : '';
      if (!patterns.some((pattern) => globMatch(pattern, workflow)))
        return {
          action: 'refuse',
          reason:
            `${who} may not run this job: workflow ${workflow || '(unknown)'} is not among the workflows policy ${p.name} ` +
            `allows on self-hosted runners (${patterns.join(', ')}). Ask the platform team to allow it, or run it elsewhere.`,
          policy: policy.name,
        };
    }
    if (rules.requireGuard) requireGuard = true;
    if (rules.jobApproval) approvalBy.push(p.name);
  }
  if (approvalBy.length > 0)
    return {
      action: 'require-approval',
      reason: `policy ${approvalBy.join(', ')} requires approval before a job starts on a self-hosted runner`,
      policy,
      requireGuard,
    };
  return { action: 'allow', reason: `allowed by policy ${policy.name}`, policy, requireGuard };
}

/** Reads `runners` off a parsed policy without trusting its shape. */
export function readRunnerRules(policy: Policy): { rules: RunnerRules | undefined } | { error: string } {
  const raw = (policy as unknown as Record<string, unknown>).runners;
  if (raw === undefined || raw === null) return { rules: undefined };
  const bad = (field: string, want: string) => ({
    error: `policy ${policy.name} (${policy.source}) has a malformed runners.${field}: ${want}; fix the policy (refused until then)`,
  });
  if (typeof raw !== 'object' || Array.isArray(raw)) return bad('', 'expected a mapping');
  const section = raw as Record<string, unknown>;
  const pick = (...names: string[]) => names.map((n) => section[n]).find((v) => v !== undefined);
  const rules: RunnerRules = {};
  for (const field of ['labels', 'workflows'] as const) {
    const value = section[field];
    if (value === undefined) continue;
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && v !== ''))
      return bad(field, 'expected a list of non-empty strings');
    rules[field] = value as string[];
  }
  const requireGuard = pick('require-guard', 'requireGuard');
  if (requireGuard !== undefined) {
    if (typeof requireGuard !== 'boolean') return bad('require-guard', 'expected true or false');
    rules.requireGuard = requireGuard;
  }
  const jobApproval = pick('job-approval', 'jobApproval');
  if (jobApproval !== undefined) {
    if (typeof jobApproval !== 'boolean') return bad('job-approval', 'expected true or false');
    rules.jobApproval = jobApproval;
  }
  return { rules };
}

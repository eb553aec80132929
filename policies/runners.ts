// May a self-hosted runner run a job, by the effective policy's `runners` gates? Pure: the runner hook's
// server side calls it after resolvePolicy. Every gate must be satisfied; the first unsatisfied one is
// named, with what the runner or the workflow would need.
import type { JobClaims } from '../lib/claims.js';
import { claimValue } from './claim-match.js';
import { globMatch } from './glob.js';
import type { EffectivePolicy } from './types.js';

export interface RunnerFacts {
  /** The labels the runner is registered with (GitHub treats labels case-insensitively, so does this). */
  labels: readonly string[];
}

export type RunnerGateResult = { ok: true } | { ok: false; policy: string; reason: string };

export function checkRunnerGates(
  policy: EffectivePolicy,
  runner: RunnerFacts,
  claims: JobClaims,
): RunnerGateResult {
  for (const field of ['labels', 'workflows'] as const) {
    const bad = policy.runners[field].find((gate) => gate.patterns.length === 0);
    if (bad)
      return {
        ok: false,
        policy: bad.policy,
        reason: `policy ${bad.policy} (${bad.source}) has a malformed runners.${field}; fix the policy (refused until then)`,
      };
  }
  for (const gate of policy.runners.labels) {
    const fits = runner.labels.some((label) =>
      gate.patterns.some((pattern) => globMatch(pattern, label, { ignoreCase: true })),
    );
    if (!fits)
      return {
        ok: false,
        policy: gate.policy,
        reason:
          `policy ${gate.policy} allows it only on runners labelled ${gate.patterns.join(' or ')}, ` +
          `and this runner has ${runner.labels.length > 0 ? runner.labels.join(', ') : 'no labels'}. ` +
          'Use runs-on with a runner that carries one of them.',
      };
  }
  // job_workflow_ref names the reusable workflow a job is defined in; workflow_ref the workflow the run
  // started from. Either may be allowed: a reviewed caller or a released reusable workflow.
  const refs = [claimValue(claims, 'job_workflow_ref'), claimValue(claims, 'workflow_ref')].filter(
    (r, i, all): r is string => r !== undefined && r !== '' && all.indexOf(r) === i,
  );
  for (const gate of policy.runners.workflows) {
    if (!refs.some((ref) => gate.patterns.some((pattern) => globMatch(pattern, ref))))
      return {
        ok: false,
        policy: gate.policy,
        reason:
          `workflow ${refs.join(' (called from ') || '(unknown)'}${refs.length > 1 ? ')' : ''} is not among the workflows ` +
          `policy ${gate.policy} allows on self-hosted runners (${gate.patterns.join(', ')}). ` +
          'Ask the platform team to allow it, or run it elsewhere.',
      };
  }
  return { ok: true };
}

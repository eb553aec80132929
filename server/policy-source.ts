// Where the server's policies come from and how it asks them. The engine itself is pure and lives in
// policies/; this is the only place the server touches it, so the server's view of policy stays small.
import type { JobClaims } from '../lib/claims.js';
import { decideStep as decide } from '../policies/decide.js';
import { loadPolicyDir } from '../policies/load.js';
import { resolvePolicy } from '../policies/match.js';
import type {
  Decision,
  EffectivePolicy,
  JobContext,
  PolicySet,
  Resolution,
  StepInput,
} from '../policies/types.js';

export type { StepKind } from '../policies/types.js';

/** No folder means no policy, and with default deny that means no session: the server says so at start. */
export async function loadServerPolicies(dir: string | undefined): Promise<PolicySet> {
  if (!dir) {
    console.warn(
      'guard server: no --policy folder given; every job will be refused (default deny). See docs/policies.md.',
    );
    return { policies: [] };
  }
  return loadPolicyDir(dir);
}

/**
 * Without facts from GitHub, a pull_request job counts as coming from a fork (the engine fails closed), so
 * pull requests get sessions only where the GitHub App tells the server where the head lives.
 */
export function resolveJobPolicy(set: PolicySet, claims: JobClaims, facts: JobContext = {}): Resolution {
  return resolvePolicy(set, claims, facts);
}

export function decideStep(policy: EffectivePolicy, step: StepInput): Decision {
  return decide(policy, step);
}

// Does a job's claims satisfy one policy's `match`? Also: could two policies ever govern the same job
// (used at load time to find a repository policy that tries to weaken an organization floor).
import type { JobClaims } from '../lib/claims.js';
import { globMatch, globsMayOverlap } from './glob.js';
import { MATCH_CLAIMS } from './types.js';
import type { MatchClaim, PolicyMatch } from './types.js';

/** GitHub treats these names case-insensitively, so a policy does too. Refs and paths stay exact. */
const CASE_INSENSITIVE = new Set<MatchClaim>(['repository', 'repository_owner', 'actor', 'environment']);

export function claimValue(claims: JobClaims, claim: string): string | undefined {
  const value = claims[claim];
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

export interface ClaimMismatch {
  claim: MatchClaim;
  detail: string;
}

/** The claims that do not match, each with a sentence naming the value and the patterns; empty = match. */
export function matchClaims(match: PolicyMatch, claims: JobClaims): ClaimMismatch[] {
  const out: ClaimMismatch[] = [];
  for (const claim of MATCH_CLAIMS) {
    const patterns = match[claim];
    if (!patterns) continue;
    const value = claimValue(claims, claim);
    const ignoreCase = CASE_INSENSITIVE.has(claim);
    if (value !== undefined && patterns.some((p) => globMatch(p, value, { ignoreCase }))) continue;
    const wanted = patterns.map((p) => JSON.stringify(p)).join(' or ');
    out.push({
      claim,
      detail:
        value === undefined
          ? `${claim} is absent from the token, policy wants ${wanted}`
          : `${claim} ${JSON.stringify(value)} does not match ${wanted}`,
    });
  }
  return out;
}

function ownerOf(repositoryPattern: string): string | undefined {
  const slash = repositoryPattern.indexOf('/');
  return slash > 0 ? repositoryPattern.slice(0, slash) : undefined;
}

function anyOverlap(a: string[], b: string[], ignoreCase: boolean): boolean {
  return a.some((x) => b.some((y) => globsMayOverlap(x, y, { ignoreCase })));
}

/** False only when no job can match both (a literal on one side that the other side's patterns reject). */
export function matchesMayOverlap(a: PolicyMatch, b: PolicyMatch): boolean {
  for (const claim of MATCH_CLAIMS) {
    const pa = a[claim];
    const pb = b[claim];
    if (pa && pb && !anyOverlap(pa, pb, CASE_INSENSITIVE.has(claim))) return false;
  }
  // An organization policy names the owner; a repository policy usually names owner/name.
  const ownersOf = (m: PolicyMatch): string[] | undefined => {
    if (m.repository_owner) return m.repository_owner;
    const owners = m.repository?.map(ownerOf);
    return owners && owners.every((o) => o !== undefined) ? owners : undefined;
  };
  const oa = ownersOf(a);
  const ob = ownersOf(b);
  if (oa && ob && !anyOverlap(oa, ob, true)) return false;
  return true;
}

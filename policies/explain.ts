// `guard policy explain`: for one job's claims, which policies govern it and why, the effective policy and
// where each value came from, and the rules in the order they are tried. Pure text out.
import type { JobClaims } from '../lib/claims.js';
import { claimValue, matchClaims } from './claim-match.js';
import { formatDuration } from './duration.js';
import { resolvePolicy } from './match.js';
import type {
  Decision,
  EffectivePolicy,
  JobContext,
  PolicySet,
  SqlRule,
  SqlWhen,
  StepRule,
  StepWhen,
} from './types.js';
import { MATCH_CLAIMS } from './types.js';

export function describeStepWhen(w: StepWhen): string {
  const parts: string[] = [];
  if (w.kind) parts.push(`kind ${w.kind.join('|')}`);
  if (w.name) parts.push(`name ${w.name.join('|')}`);
  if (w.target) parts.push(`target ${w.target.join('|')}`);
  if (w.scriptMatches !== undefined) parts.push(`script matches /${w.scriptMatches}/`);
  return parts.length > 0 ? parts.join(', ') : 'every step';
}

export function describeSqlWhen(w: SqlWhen): string {
  const parts: string[] = [];
  if (w.statement) parts.push(w.statement.join('|'));
  if (w.withoutWhere !== undefined) parts.push(w.withoutWhere ? 'without WHERE' : 'with WHERE');
  if (w.tables) parts.push(`tables ${w.tables.join('|')}`);
  if (w.target) parts.push(`database ${w.target.join('|')}`);
  if (w.textMatches !== undefined) parts.push(`text matches /${w.textMatches}/i`);
  return parts.length > 0 ? parts.join(', ') : 'every statement';
}

export function describeRules(policy: EffectivePolicy): string[] {
  const lines: string[] = [];
  const group = <R extends StepRule | SqlRule>(
    field: 'steps' | 'sql',
    groups: EffectivePolicy['steps'] | EffectivePolicy['sql'],
    describe: (r: R) => string,
  ) => {
    for (const g of groups) {
      g.rules.forEach((r, i) => {
        lines.push(
          `${g.source} ${field}[${i}]: ${r.action} when ${describe(r as R)}${r.reason ? ` (${r.reason})` : ''}`,
        );
      });
    }
  };
  group<StepRule>('steps', policy.steps, (r) => describeStepWhen(r.when));
  group<SqlRule>('sql', policy.sql, (r) => describeSqlWhen(r.when));
  return lines;
}

/** The runner gates in one line: `runners: labels prod (acme-org) and gpu-* (shop); workflows any; ...`. */
export function describeRunners(policy: EffectivePolicy): string {
  const r = policy.runners;
  const gates = (list: EffectivePolicy['runners']['labels']): string =>
    list.length > 0 ? list.map((g) => `${g.patterns.join('|')} (${g.policy})`).join(' and ') : 'any';
  return (
    `runners: labels ${gates(r.labels)}; workflows ${gates(r.workflows)}; ` +
    `require guard ${r.requireGuard ? 'yes' : 'no'}; job approval ${r.jobApproval ? 'yes' : 'no'}`
  );
}

export interface ExplainInput {
  claims: JobClaims;
  context?: JobContext;
  decisions?: { label: string; decide: (policy: EffectivePolicy) => Decision }[];
}

export function explain(set: PolicySet, input: ExplainInput): { ok: boolean; text: string } {
  const out: string[] = [];
  const c = input.claims;
  out.push('Job claims:');
  for (const claim of MATCH_CLAIMS) out.push(`  ${claim}: ${claimValue(c, claim) ?? '(absent)'}`);
  if (input.context?.pullRequestFromFork !== undefined)
    out.push(`  (pull request from a fork: ${input.context.pullRequestFromFork})`);
  out.push('', 'Policies:');
  for (const p of set.policies) {
    const misses = matchClaims(p.match, c);
    const head = `${p.name} (${p.kind}, ${p.source})`;
    if (misses.length === 0) {
      const why = MATCH_CLAIMS.filter((k) => p.match[k]).map(
        (k) =>
          `${k} ${JSON.stringify(claimValue(c, k))} matches ${p.match[k]?.map((x) => JSON.stringify(x)).join(' or ')}`,
      );
      out.push(`  MATCH    ${head}: ${why.join('; ')}`);
    } else {
      out.push(`  NO MATCH ${head}: ${misses.map((m) => m.detail).join('; ')}`);
    }
  }
  const r = resolvePolicy(set, c, input.context);
  out.push('');
  if (!r.ok) {
    out.push('Decision: no session.', r.reason);
    return { ok: false, text: `${out.join('\n')}\n` };
  }
  const p = r.policy;
  out.push(`Effective policy: ${p.name}`, `  version ${p.version}`, `  sources ${p.sources.join(', ')}`);
  out.push(
    `  approvals: min ${p.approvals.min}, reviewers ${p.approvals.reviewers.join(', ') || 'any user with write access'}, expire after ${formatDuration(p.approvals.expireAfterMs)}, self-approval ${p.approvals.allowSelfApproval ? 'allowed' : 'not allowed'}, reviewer permission ${p.approvals.minPermission ?? 'any'}, pull request reviews ${p.approvals.pullRequestReviewCounts ? 'count' : 'do not count'}`,
    `  masking: packs ${p.masking.packs.join(', ')}; columns ${p.masking.columns.join(', ') || 'none'}; rules ${p.masking.rules.map((x) => x.name).join(', ') || 'none'}`,
    `  recording: ${p.recording}`,
    `  ${describeRunners(p)}`,
    '',
    'Why:',
    ...p.explain.map((l) => `  ${l}`),
    '',
    'Rules (first match within a policy, strictest across policies; no match: allow):',
  );
  const rules = describeRules(p);
  out.push(...(rules.length > 0 ? rules.map((l) => `  ${l}`) : ['  (none)']));
  for (const d of input.decisions ?? []) {
    const decision = d.decide(p);
    out.push(
      '',
      `${d.label}: ${decision.action}${decision.rule ? ` by ${decision.rule}` : ''}`,
      `  ${decision.reason}`,
    );
  }
  return { ok: true, text: `${out.join('\n')}\n` };
}

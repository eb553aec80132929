// What happens to one guarded step or one SQL statement under an effective policy. Within a policy the
// first matching rule decides (so a policy can carve out exceptions); across policies the strictest
// decision wins (so a repository cannot loosen what its organization requires). No rule: allow - the
// step still runs recorded and masked.
import { sqlWhenHolds, stepWhenHolds } from './rule-match.js';
import { actionRank } from './strictness.js';
import type {
  Decision,
  EffectivePolicy,
  RuleGroup,
  SqlInput,
  SqlRule,
  StepInput,
  StepRule,
} from './types.js';

interface Candidate {
  decision: Decision;
  policy: string;
}

function decide<R extends StepRule | SqlRule>(
  groups: RuleGroup<R>[],
  field: 'steps' | 'sql',
  holds: (rule: R) => boolean,
  what: string,
): Decision {
  const candidates: Candidate[] = [];
  for (const group of groups) {
    const index = group.rules.findIndex(holds);
    const rule = group.rules[index];
    if (!rule) continue;
    const ref = `${group.source} ${field}[${index}]`;
    const reason = rule.reason ?? `${what}: ${rule.action} by policy ${group.policy} (${ref})`;
    candidates.push({ policy: group.policy, decision: { action: rule.action, rule: ref, reason } });
  }
  const first = candidates[0];
  if (!first)
    return { action: 'allow', reason: `${what}: no policy rule matched; allowed, recorded and masked` };
  let winner = first;
  for (const c of candidates)
    if (actionRank(c.decision.action) > actionRank(winner.decision.action)) winner = c;
  const overruled = candidates.filter(
    (c) => actionRank(c.decision.action) < actionRank(winner.decision.action),
  );
  if (overruled.length === 0) return winner.decision;
  const note = overruled.map((c) => `${c.decision.rule} would ${c.decision.action}`).join(', ');
  return { ...winner.decision, reason: `${winner.decision.reason} (stricter than ${note})` };
}

export function decideStep(policy: EffectivePolicy, step: StepInput): Decision {
  const label = `step "${step.name}" (${step.kind}${step.target ? ` ${step.target}` : ''})`;
  return decide(policy.steps, 'steps', (r) => stepWhenHolds(r.when, step), label);
}

export function decideSql(policy: EffectivePolicy, stmt: SqlInput): Decision {
  const head = stmt.text.replace(/\s+/g, ' ').trim();
  const label = `SQL ${stmt.class.toUpperCase()} "${head.length > 60 ? `${head.slice(0, 57)}...` : head}"`;
  return decide(policy.sql, 'sql', (r) => sqlWhenHolds(r.when, stmt), label);
}

/** A query string with several statements is decided by its strictest statement (first one on ties). */
export function decideSqlBatch(policy: EffectivePolicy, statements: readonly SqlInput[]): Decision {
  let worst: Decision | undefined;
  for (const stmt of statements) {
    const d = decideSql(policy, stmt);
    if (!worst || actionRank(d.action) > actionRank(worst.action)) worst = d;
  }
  return worst ?? { action: 'allow', reason: 'SQL: no statement; nothing to decide' };
}

import { describe, expect, it } from 'vitest';
import { decideSql, decideStep } from './decide.js';
import { resolvePolicy } from './match.js';
import { policySetFromTexts } from './set.js';
import type { EffectivePolicy } from './types.js';
import { claims } from './test/fixtures.js';

const org = `kind: organization
name: acme-org
match: { repository_owner: acme }
steps:
  - when: { script-matches: "kubectl" }
    action: require-approval
sql:
  - when: { statement: [drop, truncate] }
    action: block
    reason: dropping tables in production is done by the DBA team, not a pipeline
`;
const repo = `kind: repository
name: shop
match: { repository: acme/shop }
steps:
  - when: { script-matches: "kubectl get" }
    action: allow
  - when: { name: "Deploy*", kind: shell }
    action: require-approval
  - when: { kind: ssh, target: "*-prod" }
    action: require-approval
  - when: { script-matches: "rm -rf /" }
    action: block
sql:
  - when: { statement: [delete, update], without-where: true }
    action: block
  - when: { statement: [delete, update], tables: [orders, "billing.*"] }
    action: require-approval
  - when: { statement: alter, target: orders-prod }
    action: require-approval
  - when: { text-matches: "pg_sleep" }
    action: block
`;

const policy: EffectivePolicy = (() => {
  const r = resolvePolicy(policySetFromTexts({ 'acme-org.yml': org, 'shop.yml': repo }), claims());
  if (!r.ok) throw new Error(r.reason);
  return r.policy;
})();

describe('decideStep', () => {
  it.each([
    ['build', { name: 'Build', kind: 'shell', script: 'npm ci && npm test' }, 'allow', undefined],
    [
      'deploy by name',
      { name: 'Deploy web', kind: 'shell', script: './deploy.sh' },
      'require-approval',
      'shop.yml steps[1]',
    ],
    [
      'ssh to production',
      { name: 'Restart', kind: 'ssh', target: 'web-prod', script: 'systemctl restart web' },
      'require-approval',
      'shop.yml steps[2]',
    ],
    [
      'ssh to staging',
      { name: 'Restart', kind: 'ssh', target: 'web-staging', script: 'systemctl restart web' },
      'allow',
      undefined,
    ],
    [
      'the org rule wins over a looser repo exception',
      { name: 'Look', kind: 'shell', script: 'kubectl get pods' },
      'require-approval',
      'acme-org.yml steps[0]',
    ],
    [
      'the strictest across layers',
      { name: 'Oops', kind: 'shell', script: 'kubectl delete ns x; rm -rf /' },
      'block',
      'shop.yml steps[3]',
    ],
  ] as const)('%s', (_label, step, action, rule) => {
    const d = decideStep(policy, step);
    expect(d.action).toBe(action);
    expect(d.rule).toBe(rule);
  });

  it('says which looser rule it overruled', () => {
    const d = decideStep(policy, { name: 'Look', kind: 'shell', script: 'kubectl get pods' });
    expect(d.reason).toContain('stricter than shop.yml steps[0] would allow');
  });

  it('matches a script over several lines', () => {
    const d = decideStep(policy, {
      name: 'Ops',
      kind: 'shell',
      script: 'set -e\necho hi\nkubectl apply -f k8s/\n',
    });
    expect(d.action).toBe('require-approval');
  });
});

describe('decideSql', () => {
  const stmt = (cls: string, text: string, tables: string[] = [], withoutWhere = false, target?: string) => ({
    class: cls,
    text,
    tables,
    withoutWhere,
    ...(target ? { target } : {}),
  });
  it.each([
    ['select', stmt('select', 'SELECT * FROM orders', ['orders']), 'allow', undefined],
    [
      'drop: org block with its reason',
      stmt('drop', 'DROP TABLE orders', ['orders']),
      'block',
      'acme-org.yml sql[0]',
    ],
    [
      'delete without where',
      stmt('delete', 'DELETE FROM users', ['users'], true),
      'block',
      'shop.yml sql[0]',
    ],
    [
      'delete with where on orders',
      stmt('delete', 'DELETE FROM orders WHERE id=1', ['public.orders']),
      'require-approval',
      'shop.yml sql[1]',
    ],
    [
      'update billing schema',
      stmt('update', 'UPDATE billing.invoices SET x=1 WHERE id=2', ['billing.invoices']),
      'require-approval',
      'shop.yml sql[1]',
    ],
    [
      'delete with where elsewhere',
      stmt('delete', 'DELETE FROM carts WHERE id=1', ['carts']),
      'allow',
      undefined,
    ],
    [
      'alter on orders-prod',
      stmt('alter', 'ALTER TABLE t ADD c int', ['t'], false, 'orders-prod'),
      'require-approval',
      'shop.yml sql[2]',
    ],
    [
      'alter on another database',
      stmt('alter', 'ALTER TABLE t ADD c int', ['t'], false, 'scratch'),
      'allow',
      undefined,
    ],
    ['text match is case-insensitive', stmt('select', 'select PG_SLEEP(100)'), 'block', 'shop.yml sql[3]'],
    ['unknown class counts as other', stmt('vacuum', 'VACUUM'), 'allow', undefined],
  ] as const)('%s', (_label, s, action, rule) => {
    const d = decideSql(policy, s);
    expect(d.action).toBe(action);
    expect(d.rule).toBe(rule);
  });

  it('uses the rule reason when the policy gives one', () => {
    expect(decideSql(policy, stmt('truncate', 'TRUNCATE orders', ['orders'])).reason).toContain(
      'done by the DBA team',
    );
  });
});

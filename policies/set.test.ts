import { describe, expect, it } from 'vitest';
import { GuardError } from '../lib/errors.js';
import { policySetFromTexts } from './set.js';

const org = `kind: organization
name: acme-org
match: { repository_owner: acme }
approvals: { min: 2, expire-after: 2h }
masking: { packs: [secrets, pii-common, pii-br] }
sql:
  - when: { statement: [drop, truncate] }
    action: block
  - when: { statement: [delete, update], without-where: true }
    action: block
steps:
  - when: { kind: ssh }
    action: require-approval
`;

function loadError(repo: string, orgText = org): string {
  try {
    policySetFromTexts({
      'acme-org.yml': orgText,
      'shop.yml': `kind: repository\nname: shop\nmatch: { repository: acme/shop }\n${repo}`,
    });
  } catch (error) {
    expect((error as GuardError).code).toBe('POLICY_INVALID');
    return (error as GuardError).message;
  }
  return '';
}

describe('layering: a repository policy cannot weaken an organization floor', () => {
  it.each([
    [
      'approvals: { min: 1 }\n',
      'shop.yml:4: approvals.min: 1 is below the floor of 2 (floor set by organization policy "acme-org", acme-org.yml:4)',
    ],
    [
      'approvals: { expire-after: 1d }\n',
      'shop.yml:4: approvals.expire-after: 1d is longer than the ceiling of 2h',
    ],
    ['approvals: { allow-self-approval: true }\n', 'approvals.allow-self-approval: allows self-approval'],
    ['masking: { packs: [secrets] }\n', 'masking.packs: drops masking pack(s) pii-common, pii-br'],
    ['recording: best_effort\n', 'shop.yml:4: recording: best_effort is weaker than strict'],
    ['allow-forks: true\n', 'allow-forks: allows pull requests from forks'],
    ['allow-pull-request-target: true\n', 'allow-pull-request-target: allows pull_request_target'],
    [
      'sql:\n  - when: { statement: drop }\n    action: allow\n',
      'shop.yml:5: sql[0]: allow for statements that organization rule sql[0] decides block',
    ],
    [
      'sql:\n  - when: { statement: [delete], without-where: true }\n    action: require-approval\n',
      'sql[0]: require-approval for statements that organization rule sql[1] decides block',
    ],
    [
      'sql:\n  - when: { statement: [drop, truncate, alter] }\n    action: require-approval\n',
      'sql[0]: require-approval for statements that organization rule sql[0] decides block',
    ],
    [
      'sql:\n  - when: { statement: drop, tables: [tmp_*] }\n    action: allow\n',
      'sql[0]: allow for statements that organization rule sql[0] decides block',
    ],
    [
      'steps:\n  - when: { kind: ssh, target: web-prod }\n    action: allow\n',
      'steps[0]: allow for steps that organization rule steps[0] decides require-approval',
    ],
    // The organization rule covers every ssh step, so an exception for some of them is a weakening.
    [
      'steps:\n  - when: { kind: ssh, script-matches: "^uptime$" }\n    action: allow\n',
      'steps[0]: allow for steps that organization rule steps[0]',
    ],
  ])('rejects %j', (repo, expected) => {
    expect(loadError(repo)).toContain(expected);
  });

  it.each([
    ['approvals: { min: 3, expire-after: 30m }\n'],
    ['masking: { packs: [secrets, pii-common, pii-br, pii-us] }\n'],
    ['sql:\n  - when: { statement: [delete], without-where: false }\n    action: allow\n'],
    ['sql:\n  - when: { statement: [select, insert] }\n    action: allow\n'],
    ['steps:\n  - when: { kind: shell }\n    action: allow\n'],
    // A catch-all or a partly overlapping rule does not address the floor; at run time the floor still wins.
    ['sql:\n  - action: allow\n'],
    ['sql:\n  - when: { statement: [delete, update], tables: [orders] }\n    action: require-approval\n'],
    ['steps:\n  - when: { script-matches: kubectl }\n    action: allow\n'],
    // A catch-all or a partly overlapping rule does not address the floor; at run time the floor still wins.
    ['sql:\n  - action: allow\n'],
    ['sql:\n  - when: { statement: [delete, update], tables: [orders] }\n    action: require-approval\n'],
    ['steps:\n  - when: { script-matches: kubectl }\n    action: allow\n'],
  ])('accepts the stricter or unrelated %j', (repo) => {
    expect(loadError(repo)).toBe('');
  });

  it('an absent organization value is the secure default, which is a floor too', () => {
    const bare = 'kind: organization\nname: acme-org\nmatch: { repository_owner: acme }\n';
    expect(loadError('recording: best_effort\n', bare)).toContain(
      'recording: best_effort is weaker than strict',
    );
    expect(loadError('masking: { packs: [secrets] }\n', bare)).toContain(
      'drops masking pack(s) pii-common, pii-br, pii-us, pii-eu',
    );
    expect(loadError('approvals: { expire-after: 2h }\n', bare)).toContain(
      '2h is longer than the ceiling of 1h',
    );
  });

  it('accepts rules whose overlap cannot be proven (two different regular expressions); evaluation keeps the floor', () => {
    const withRegex =
      'kind: organization\nname: acme-org\nmatch: { repository_owner: acme }\nsteps:\n  - when: { script-matches: kubectl }\n    action: require-approval\n';
    expect(
      loadError('steps:\n  - when: { script-matches: "kubectl get" }\n    action: allow\n', withRegex),
    ).toBe('');
  });

  it('does not compare a repository policy with the floor of another owner', () => {
    const other =
      'kind: organization\nname: other-org\nmatch: { repository_owner: other }\napprovals: { min: 5 }\n';
    expect(() =>
      policySetFromTexts({
        'other.yml': other,
        'shop.yml': 'kind: repository\nname: shop\nmatch: { repository: acme/shop }\napprovals: { min: 1 }\n',
      }),
    ).not.toThrow();
  });

  it('rejects two policies with one name', () => {
    const p = 'kind: repository\nname: shop\nmatch: { repository: acme/shop }\n';
    expect(() => policySetFromTexts({ 'a.yml': p, 'b.yml': p })).toThrow(
      /b\.yml:2: name: "shop" is also the name of a\.yml/,
    );
  });

  it('reports the errors of every file together', () => {
    try {
      policySetFromTexts({ 'a.yml': 'kind: x\n', 'b.yml': 'name: 1\n' });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toMatch(/a\.yml:1: kind[\s\S]*b\.yml:1: name/);
    }
  });
});

describe('layering: GitHub approval rules and runner gates cannot be weakened either', () => {
  const strictOrg = `kind: organization
name: acme-org
match: { repository_owner: acme }
approvals:
  min-permission: write
  pull-request-review-counts: true
runners:
  require-guard: true
  job-approval: true
`;

  it.each([
    [
      'approvals: { min-permission: triage }\n',
      'shop.yml:4: approvals.min-permission: triage is below the floor of write (floor set by organization policy "acme-org", acme-org.yml:5)',
    ],
    [
      'runners: { require-guard: false }\n',
      'shop.yml:4: runners.require-guard: false, but the organization requires guard in every self-hosted job (floor set by organization policy "acme-org", acme-org.yml:8)',
    ],
    [
      'runners: { job-approval: false }\n',
      'shop.yml:4: runners.job-approval: false, but the organization requires approval before every self-hosted job',
    ],
  ])('rejects %j', (repo, expected) => {
    expect(loadError(repo, strictOrg)).toContain(expected);
  });

  it.each([
    ['approvals: { min-permission: write }\n'],
    ['approvals: { min-permission: admin, pull-request-review-counts: true }\n'],
    ['approvals: { pull-request-review-counts: false }\n'],
    // Labels and workflows only add gates, so a repository cannot widen them.
    ['runners: { labels: [anything-*], workflows: ["**"], require-guard: true }\n'],
  ])('accepts the same or stricter %j', (repo) => {
    expect(loadError(repo, strictOrg)).toBe('');
  });

  it('counting pull request reviews needs the organization to count them too (not set is false)', () => {
    expect(loadError('approvals: { pull-request-review-counts: true }\n')).toContain(
      'shop.yml:4: approvals.pull-request-review-counts: counts pull request reviews as approvals, which the organization does not',
    );
  });

  it('an organization without a min-permission sets no floor for it', () => {
    expect(loadError('approvals: { min-permission: read }\n')).toBe('');
  });
});

import { describe, expect, it } from 'vitest';
import { GuardError } from '../lib/errors.js';
import { parsePolicy } from './parse.js';

function errorOf(text: string, file = 'p.yml'): string {
  try {
    parsePolicy(text, file);
  } catch (error) {
    expect(error).toBeInstanceOf(GuardError);
    expect((error as GuardError).code).toBe('POLICY_INVALID');
    return (error as GuardError).message;
  }
  throw new Error('expected the policy to be rejected');
}

const minimal = `kind: repository
name: shop-prod
match: { repository: acme/shop, environment: production }
`;

describe('parsePolicy', () => {
  it('keeps absent fields absent so layering can tell "not said" from "said the default"', () => {
    const p = parsePolicy(minimal, 'shop.yml');
    expect(p.approvals).toEqual({});
    expect(p.recording).toBeUndefined();
    expect(p.masking.packs).toBeUndefined();
    expect(p.match).toEqual({ repository: ['acme/shop'], environment: ['production'] });
  });

  it('normalises the design sketch', () => {
    const p = parsePolicy(
      `kind: repository
name: acme-shop-prod
match: { repository: acme/shop, repository_id: 100200300, environment: production }
approvals:
  reviewers: [ "@acme/sre", "alice" ]
  min: 2
  expire-after: 2h
  allow-self-approval: false
steps:
  - when: { script-matches: "terraform apply|kubectl delete|helm upgrade" }
    action: require-approval
sql:
  - when: { statement: [drop, truncate, alter] }
    action: require-approval
  - when: { statement: [delete, update], without-where: true }
    action: block
masking:
  packs: [secrets, pii-common, pii-br, pii-us, pii-eu]
  columns: [ "*.email", "customers.cpf", "*.card_number" ]
  rules: [ { name: order-id, pattern: "ORD-[0-9]{8}" } ]
recording: strict
`,
      'acme-shop-prod.yml',
    );
    expect(p.match.repository_id).toEqual(['100200300']);
    expect(p.approvals).toEqual({
      reviewers: ['@acme/sre', 'alice'],
      min: 2,
      expireAfterMs: 7_200_000,
      allowSelfApproval: false,
    });
    expect(p.steps[0]).toEqual({
      when: { scriptMatches: 'terraform apply|kubectl delete|helm upgrade' },
      action: 'require-approval',
    });
    expect(p.sql[1]).toEqual({
      when: { statement: ['delete', 'update'], withoutWhere: true },
      action: 'block',
    });
    expect(p.version).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('reads the GitHub approval rules and the runners section', () => {
    const p = parsePolicy(
      `${minimal}approvals:
  min-permission: maintain
  pull-request-review-counts: true
runners:
  labels: prod
  workflows: ['acme/shop/.github/workflows/deploy.yml@refs/heads/main', 'acme/platform/**']
  require-guard: true
  job-approval: false
`,
      'shop.yml',
    );
    expect(p.approvals).toEqual({ minPermission: 'maintain', pullRequestReviewCounts: true });
    // The shape the runner hook's server side reads off a parsed policy (camelCase, lists never empty).
    expect(p.runners).toEqual({
      labels: ['prod'],
      workflows: ['acme/shop/.github/workflows/deploy.yml@refs/heads/main', 'acme/platform/**'],
      requireGuard: true,
      jobApproval: false,
    });
    expect(p.version).not.toBe(parsePolicy(minimal, 'shop.yml').version);
    expect(parsePolicy(minimal, 'shop.yml').runners).toBeUndefined();
  });

  it('gives the same version to the same policy written differently', () => {
    const a = parsePolicy(minimal, 'a.yml');
    const b = parsePolicy(
      `# a comment
name: shop-prod
match:
  environment: [production]
  repository: acme/shop
kind: repository
`,
      'b.yml',
    );
    expect(b.version).toBe(a.version);
    expect(parsePolicy(minimal.replace('production', 'staging'), 'a.yml').version).not.toBe(a.version);
  });

  it.each([
    [`${minimal}approvals:\n  min: 0\n`, 'p.yml:5: approvals.min: must be >= 1'],
    [
      `${minimal}approvals:\n  minimum: 2\n`,
      'p.yml:5: approvals.minimum: unknown field (allowed here: reviewers, min, expire-after, allow-self-approval, min-permission, pull-request-review-counts)',
    ],
    [
      `${minimal}approvals:\n  expire-after: soon\n`,
      'p.yml:5: approvals.expire-after: must be a duration such as 30m, 2h, 1h30m or 1d',
    ],
    [
      `${minimal}approvals:\n  expire-after: 90d\n`,
      'p.yml:5: approvals.expire-after: must be between 1m and 30d',
    ],
    [`${minimal}recording: sometimes\n`, 'p.yml:4: recording: must be one of "strict", "best_effort"'],
    [
      `${minimal}steps:\n  - when: { kind: docker }\n    action: allow\n`,
      'p.yml:5: steps[0].when.kind: must be one of shell, db, ssh',
    ],
    [
      `${minimal}steps:\n  - when: { script-matches: "terraform (apply" }\n    action: block\n`,
      'p.yml:5: steps[0].when.script-matches: not a valid regular expression',
    ],
    [
      `${minimal}sql:\n  - when: { statement: [drop], without-where: true }\n    action: block\n`,
      'p.yml:5: sql[0].when.without-where: only applies to update and delete',
    ],
    [
      `${minimal}sql:\n  - when: { statement: [dropp] }\n    action: block\n`,
      'p.yml:5: sql[0].when.statement[0]: must be one of "select"',
    ],
    [
      `${minimal}masking:\n  rules: [ { name: x, pattern: "a*" } ]\n`,
      'p.yml:5: masking.rules[0].pattern: matches the empty string',
    ],
    [
      `${minimal}approvals:\n  reviewers: [alice]\n  min: 2\n`,
      'p.yml:6: approvals.min: needs 2 approvals but only 1 reviewer(s) are listed',
    ],
    [
      'kind: organization\nname: acme\nmatch: { repository: acme/shop }\n',
      'p.yml:3: match: an organization policy must match repository_owner',
    ],
    [
      'kind: repository\nname: acme\nmatch: { environment: production }\n',
      'p.yml:3: match: a repository policy must match repository or repository_id',
    ],
    ['kind: repository\nname: acme\nmatch: { repo: acme/shop }\n', 'p.yml:3: match.repo: unknown field'],
    ['kind: repository\nname: acme\n', 'p.yml:1: (document): match is required'],
    ['kind: repository\nname: a\nname: b\nmatch: {repository: x/y}\n', 'p.yml:3: Map keys must be unique'],
    ['- just\n- a list\n', 'p.yml:1: (document): must be a mapping'],
    [
      `${minimal}approvals:\n  min-permission: owner\n`,
      'p.yml:5: approvals.min-permission: must be one of "read", "triage", "write", "maintain", "admin"',
    ],
    [
      `${minimal}approvals:\n  pull-request-review-counts: yes please\n`,
      'p.yml:5: approvals.pull-request-review-counts: must be a boolean',
    ],
    [`${minimal}runners:\n  labels: []\n`, 'p.yml:5: runners.labels: must not be an empty list'],
    [`${minimal}runners:\n  require-guard: 1\n`, 'p.yml:5: runners.require-guard: must be a boolean'],
    [
      `${minimal}runners:\n  job-approvals: true\n`,
      'p.yml:5: runners.job-approvals: unknown field (allowed here: labels, workflows, require-guard, job-approval)',
    ],
    [
      `${minimal}runners:\n  workflows:\n    - acme/shop/.github/workflows/deploy.yml@**\n    - acme/shop/.github/workflows/release.yml\n`,
      'p.yml:7: runners.workflows[1]: "acme/shop/.github/workflows/release.yml" can never match a workflow ref',
    ],
    [
      `${minimal}runners: { workflows: "acme/*/.github/workflows/*" }\n`,
      'p.yml:4: runners.workflows: "acme/*/.github/workflows/*" can never match',
    ],
  ])('rejects with file, line and field: %#', (text, expected) => {
    expect(errorOf(text)).toContain(expected);
  });

  it('reports every problem of a file at once', () => {
    const message = errorOf(`${minimal}approvals:\n  min: 0\nrecording: sometimes\n`);
    expect(message).toContain('p.yml:5: approvals.min');
    expect(message).toContain('p.yml:6: recording');
  });
});

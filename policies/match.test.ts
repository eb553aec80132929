import { describe, expect, it } from 'vitest';
import { resolvePolicy } from './match.js';
import { policySetFromTexts } from './set.js';
import type { EffectivePolicy, Resolution } from './types.js';
import { claims } from './test/fixtures.js';

const org = `kind: organization
name: acme-org
match: { repository_owner_id: 4000 }
approvals: { reviewers: ["@acme/sre"], min: 2, expire-after: 2h }
masking: { packs: [secrets, pii-common, pii-br], columns: ["*.email"] }
recording: strict
sql:
  - when: { statement: [drop, truncate] }
    action: block
`;
const repo = `kind: repository
name: shop-prod
match: { repository_id: 100200300, environment: production, ref: refs/heads/main }
approvals: { reviewers: [alice, bob, dave], min: 3, expire-after: 30m }
masking: { packs: [secrets, pii-common, pii-br, pii-us], columns: ["customers.cpf"] }
steps:
  - when: { script-matches: "terraform apply" }
    action: require-approval
`;

function granted(r: Resolution): EffectivePolicy {
  if (!r.ok) throw new Error(`expected a session, got: ${r.reason}`);
  return r.policy;
}

describe('resolvePolicy: matching', () => {
  const set = policySetFromTexts({ 'acme-org.yml': org, 'shop-prod.yml': repo });

  it.each([
    ['the production job', {}, ['acme-org', 'shop-prod']],
    ['a staging job (org floor only)', { environment: 'staging' }, ['acme-org']],
    ['a release branch', { ref: 'refs/heads/release/1.2' }, ['acme-org']],
    ['a renamed repository (ids unchanged)', { repository: 'acme/storefront' }, ['acme-org', 'shop-prod']],
  ])('%s', (_label, overrides, names) => {
    expect(granted(resolvePolicy(set, claims(overrides))).name).toBe(names.join(' + '));
  });

  it('denies a job no policy matches and names the claims that did not match', () => {
    const r = resolvePolicy(
      set,
      claims({
        repository: 'evil/shop',
        repository_id: '666',
        repository_owner: 'evil',
        repository_owner_id: '6',
      }),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.unmatched).toEqual([
      {
        policy: 'acme-org',
        claims: ['repository_owner_id'],
        details: ['repository_owner_id "6" does not match "4000"'],
      },
      {
        policy: 'shop-prod',
        claims: ['repository_id'],
        details: ['repository_id "666" does not match "100200300"'],
      },
    ]);
    expect(r.reason).toContain('default deny');
    expect(r.reason).toContain('repository_owner_id "6" does not match "4000"');
  });

  it('a same-name repository recreated by someone else (new id) does not match a policy bound to the id', () => {
    const byId = policySetFromTexts({
      'p.yml': 'kind: repository\nname: p\nmatch: { repository_id: 100200300 }\n',
    });
    const r = resolvePolicy(byId, claims({ repository_id: '999' }));
    expect(r.ok).toBe(false);
  });

  it('an absent claim does not match, and says so', () => {
    const only = policySetFromTexts({ 'shop-prod.yml': repo });
    const { environment: _e, ...rest } = claims();
    const r = resolvePolicy(only, rest);
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.unmatched[0]?.details[0]).toBe(
        'environment is absent from the token, policy wants "production"',
      );
  });

  it.each([
    ['repository', 'acme/*', { repository: 'acme/web' }, true],
    ['repository', 'acme/*', { repository: 'other/web' }, false],
    ['repository', 'ACME/Shop', {}, true],
    ['ref', 'refs/heads/release/*', { ref: 'refs/heads/release/1.2' }, true],
    ['ref', 'refs/heads/release/*', { ref: 'refs/heads/release/1.2/hotfix' }, false],
    ['ref', 'refs/heads/release/**', { ref: 'refs/heads/release/1.2/hotfix' }, true],
    ['ref', 'refs/tags/v*', { ref: 'refs/tags/v1.0.0', ref_type: 'tag' }, true],
    ['ref', 'refs/heads/Main', {}, false],
    ['ref_type', 'tag', {}, false],
    ['event_name', '[push, workflow_dispatch]', { event_name: 'workflow_dispatch' }, true],
    ['event_name', '[push, workflow_dispatch]', { event_name: 'schedule' }, false],
    ['workflow_ref', 'acme/shop/.github/workflows/deploy.yml@**', {}, true],
    [
      'job_workflow_ref',
      'acme/platform/.github/workflows/deploy.yml@refs/tags/v*',
      { job_workflow_ref: 'acme/platform/.github/workflows/deploy.yml@refs/tags/v3' },
      true,
    ],
    ['job_workflow_ref', 'acme/platform/.github/workflows/deploy.yml@refs/tags/v*', {}, false],
    ['runner_environment', 'github-hosted', { runner_environment: 'self-hosted' }, false],
    ['actor', 'dependabot?bot?', { actor: 'dependabot[bot]' }, true],
    ['environment', 'prod*', { environment: 'Production' }, true],
  ])('match.%s %s with %j -> %s', (claim, pattern, overrides, matches) => {
    const set1 = policySetFromTexts({
      'p.yml': `kind: repository\nname: p\nmatch:\n  repository_id: "100200300"\n  ${claim}: ${pattern.startsWith('[') ? pattern : JSON.stringify(pattern)}\n`,
    });
    expect(resolvePolicy(set1, claims(overrides)).ok).toBe(matches);
  });
});

describe('resolvePolicy: forks and pull_request_target', () => {
  const plain = 'kind: repository\nname: p\nmatch: { repository: acme/shop }\n';
  const forks = `${plain}allow-forks: true\n`;
  const prt = `${plain}allow-pull-request-target: true\n`;
  const pr = claims({ event_name: 'pull_request', environment: undefined, ref: 'refs/pull/7/merge' });

  it.each([
    ['same-repo pull request', plain, pr, { pullRequestFromFork: false }, true],
    ['fork pull request', plain, pr, { pullRequestFromFork: true }, false],
    ['fork pull request, unknown origin', plain, pr, {}, false],
    ['fork pull request with allow-forks', forks, pr, { pullRequestFromFork: true }, true],
    ['pull_request_target', plain, claims({ event_name: 'pull_request_target' }), {}, false],
    ['pull_request_target, allowed', prt, claims({ event_name: 'pull_request_target' }), {}, true],
    [
      'pull_request_target, allow-forks is not enough',
      forks,
      claims({ event_name: 'pull_request_target' }),
      {},
      false,
    ],
  ])('%s', (_label, policy, job, context, ok) => {
    const r = resolvePolicy(policySetFromTexts({ 'p.yml': policy }), job, context);
    expect(r.ok).toBe(ok);
    if (!r.ok) expect(r.unmatched[0]?.claims).toEqual(['event_name']);
  });

  it('needs every matching layer to allow forks', () => {
    const set = policySetFromTexts({
      'p.yml': 'kind: repository\nname: p\nmatch: { repository: acme/* }\nallow-forks: true\n',
      'q.yml': 'kind: repository\nname: q\nmatch: { repository: acme/shop }\n',
    });
    const r = resolvePolicy(set, claims({ event_name: 'pull_request' }), { pullRequestFromFork: true });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.unmatched.map((u) => u.policy)).toEqual(['q']);
  });
});

describe('layering: the strictest value wins', () => {
  const set = policySetFromTexts({ 'acme-org.yml': org, 'shop-prod.yml': repo });
  const p = granted(resolvePolicy(set, claims()));

  it('raises floors and keeps the most specific reviewers', () => {
    expect(p.approvals).toEqual({
      reviewers: ['alice', 'bob', 'dave'],
      min: 3,
      expireAfterMs: 1_800_000,
      allowSelfApproval: false,
      pullRequestReviewCounts: false,
    });
    expect(p.recording).toBe('strict');
    expect(p.masking.packs).toEqual(['secrets', 'pii-common', 'pii-br', 'pii-us']);
    expect(p.masking.columns).toEqual(['*.email', 'customers.cpf']);
    expect(p.sources).toEqual(['acme-org.yml', 'shop-prod.yml']);
    expect(p.version).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('falls back to the organization reviewers when the repository names none', () => {
    const q = granted(resolvePolicy(set, claims({ environment: 'staging' })));
    expect(q.approvals.reviewers).toEqual(['@acme/sre']);
    expect(q.approvals.min).toBe(2);
  });

  it('applies secure defaults to fields nobody set', () => {
    const bare = policySetFromTexts({
      'p.yml': 'kind: repository\nname: p\nmatch: { repository: acme/shop }\n',
    });
    const q = granted(resolvePolicy(bare, claims()));
    expect(q.approvals).toEqual({
      reviewers: [],
      min: 1,
      expireAfterMs: 3_600_000,
      allowSelfApproval: false,
      pullRequestReviewCounts: false,
    });
    expect(q.approvals).not.toHaveProperty('minPermission');
    expect(q.runners).toEqual({ labels: [], workflows: [], requireGuard: false, jobApproval: false });
    expect(q.recording).toBe('strict');
    expect(q.masking.packs).toEqual(['secrets', 'pii-common', 'pii-br', 'pii-us', 'pii-eu']);
  });

  it('two repository policies: the stricter of each field', () => {
    const two = policySetFromTexts({
      'a.yml':
        'kind: repository\nname: a\nmatch: { repository: acme/* }\nrecording: best_effort\napprovals: { allow-self-approval: true, min: 2 }\n',
      'b.yml':
        'kind: repository\nname: b\nmatch: { repository: acme/shop }\nrecording: best_effort\napprovals: { allow-self-approval: false }\n',
    });
    const q = granted(resolvePolicy(two, claims()));
    expect(q.recording).toBe('best_effort');
    expect(q.approvals.allowSelfApproval).toBe(false);
    expect(q.approvals.min).toBe(2);
  });

  it('explains where each value came from', () => {
    expect(p.explain.find((l) => l.startsWith('approvals.min'))).toBe(
      'approvals.min = 3: the highest of (acme-org: 2, shop-prod: 3; default 1)',
    );
  });
});

describe('layering: GitHub approval rules and runner gates', () => {
  const orgWith = (extra: string) =>
    `kind: organization\nname: acme-org\nmatch: { repository_owner: acme }\n${extra}`;
  const repoWith = (extra: string, name = 'shop') =>
    `kind: repository\nname: ${name}\nmatch: { repository: acme/shop }\n${extra}`;
  const effective = (files: Record<string, string>) =>
    granted(resolvePolicy(policySetFromTexts(files), claims()));

  it('approvals.min-permission: the highest wins, and unset stays unset', () => {
    const p = effective({
      'org.yml': orgWith('approvals: { min-permission: write }\n'),
      'shop.yml': repoWith('approvals: { min-permission: maintain }\n'),
    });
    expect(p.approvals.minPermission).toBe('maintain');
    expect(p.explain).toContain(
      'approvals.min-permission = maintain: the highest of (acme-org: write, shop: maintain)',
    );
    // The organization floor applies where the repository says nothing.
    expect(
      effective({ 'org.yml': orgWith('approvals: { min-permission: write }\n'), 'shop.yml': repoWith('') })
        .approvals.minPermission,
    ).toBe('write');
    // Two repository layers: the higher of them, whatever the order of names.
    expect(
      effective({
        'a.yml': repoWith('approvals: { min-permission: admin }\n', 'a'),
        'b.yml': repoWith('approvals: { min-permission: triage }\n', 'b'),
      }).approvals.minPermission,
    ).toBe('admin');
  });

  it('approvals.pull-request-review-counts: true only when every policy says true', () => {
    const both = effective({
      'org.yml': orgWith('approvals: { pull-request-review-counts: true }\n'),
      'shop.yml': repoWith('approvals: { pull-request-review-counts: true }\n'),
    });
    expect(both.approvals.pullRequestReviewCounts).toBe(true);
    // An organization that allows it does not turn it on for a repository that does not say so.
    const orgOnly = effective({
      'org.yml': orgWith('approvals: { pull-request-review-counts: true }\n'),
      'shop.yml': repoWith(''),
    });
    expect(orgOnly.approvals.pullRequestReviewCounts).toBe(false);
    expect(orgOnly.explain).toContain(
      'approvals.pull-request-review-counts = false: true only if every policy says true (acme-org: true, shop: not set)',
    );
  });

  it('runners: every policy that lists labels or workflows is a gate of its own; booleans are true if any says so', () => {
    const p = effective({
      'org.yml': orgWith('runners: { labels: [org-pool-*], require-guard: true }\n'),
      'shop.yml': repoWith(
        'runners:\n  labels: [gpu, GPU-*]\n  workflows: acme/shop/.github/workflows/*.yml@refs/heads/main\n  job-approval: true\n',
      ),
    });
    expect(p.runners).toEqual({
      labels: [
        { policy: 'acme-org', source: 'org.yml', patterns: ['org-pool-*'] },
        { policy: 'shop', source: 'shop.yml', patterns: ['gpu', 'GPU-*'] },
      ],
      workflows: [
        {
          policy: 'shop',
          source: 'shop.yml',
          patterns: ['acme/shop/.github/workflows/*.yml@refs/heads/main'],
        },
      ],
      requireGuard: true,
      jobApproval: true,
    });
    expect(p.explain).toContain(
      "runners.labels: the runner's labels must satisfy every one of (acme-org: org-pool-*; shop: gpu or GPU-*)",
    );
    expect(p.explain).toContain(
      "runners.workflows: the job's job_workflow_ref or workflow_ref must satisfy every one of (shop: acme/shop/.github/workflows/*.yml@refs/heads/main)",
    );
    expect(p.explain).toContain(
      'runners.require-guard = true: true if any policy says true (acme-org: true, shop: not set; default false)',
    );
  });

  it('the effective policy survives the trip to the runner as JSON', () => {
    const p = effective({
      'org.yml': orgWith('approvals: { min-permission: write }\nrunners: { labels: prod }\n'),
      'shop.yml': repoWith(''),
    });
    expect(JSON.parse(JSON.stringify(p))).toEqual(p);
  });
});

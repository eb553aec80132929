import { describe, expect, it } from 'vitest';
import { resolvePolicy } from './match.js';
import { policySetFromTexts } from './set.js';
import { policySummaryMarkdown } from './summary.js';
import { claims } from './test/fixtures.js';

describe('policySummaryMarkdown', () => {
  it('shows what governed the job in the job summary, rules included', () => {
    const set = policySetFromTexts({
      'shop.yml': `kind: repository
name: shop
match: { repository: acme/shop }
approvals: { reviewers: ["@acme/sre"], min: 2, expire-after: 90m }
steps:
  - when: { script-matches: "terraform apply|helm upgrade" }
    action: require-approval
masking: { columns: ["*.email"] }
`,
    });
    const r = resolvePolicy(set, claims());
    if (!r.ok) throw new Error(r.reason);
    const md = policySummaryMarkdown(r.policy);
    expect(md).toContain('| Policies | shop |');
    expect(md).toContain('| Approvals | 2 from @acme/sre |');
    expect(md).toContain('| Approval expires after | 1h30m |');
    expect(md).toContain('| Masked columns | *.email |');
    expect(md).toContain('| Recording | strict |');
    // A pipe in a rule must not break the Markdown table or list.
    expect(md).toContain(
      '- shop.yml steps[0]: require-approval when script matches /terraform apply|helm upgrade/',
    );
    expect(md).toContain(r.policy.version);
    expect(md).toContain('| Reviewer permission | not required |');
    expect(md).toContain('| Pull request reviews | do not count |');
    expect(md).toContain('| Runner labels | any runner |');
    expect(md).toContain('| Runner job | no extra requirement |');
  });

  it('shows the reviewer permission, review counting and every runner gate', () => {
    const set = policySetFromTexts({
      'org.yml': `kind: organization
name: acme-org
match: { repository_owner: acme }
approvals: { min-permission: write, pull-request-review-counts: true }
runners: { labels: [acme-pool-*], require-guard: true }
`,
      'shop.yml': `kind: repository
name: shop
match: { repository: acme/shop }
approvals: { min-permission: maintain, pull-request-review-counts: true }
runners:
  labels: [gpu]
  workflows: ['acme/shop/.github/workflows/deploy.yml@refs/heads/main']
  job-approval: true
`,
    });
    const r = resolvePolicy(set, claims());
    if (!r.ok) throw new Error(r.reason);
    const md = policySummaryMarkdown(r.policy);
    expect(md).toContain('| Reviewer permission | at least maintain |');
    expect(md).toContain('| Pull request reviews | count as approvals |');
    expect(md).toContain('| Runner labels | acme-pool-* (acme-org) and gpu (shop) |');
    expect(md).toContain(
      '| Runner workflows | acme/shop/.github/workflows/deploy.yml@refs/heads/main (shop) |',
    );
    expect(md).toContain('| Runner job | approved before it starts; fails unless a step ran under guard |');
  });
});

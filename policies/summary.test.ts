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
  });
});

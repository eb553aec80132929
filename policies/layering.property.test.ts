// Properties of layering over generated policies: the effective policy is at least as strict as every
// policy that governs the job, whatever they say, and it survives the trip to the runner as JSON.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideSql, decideStep } from './decide.js';
import { globMatch } from './glob.js';
import { resolvePolicy } from './match.js';
import { parsePolicy } from './parse.js';
import { buildPolicySet } from './set.js';
import { actionRank, permissionRank } from './strictness.js';
import { MASKING_PACKS, REPOSITORY_PERMISSIONS, SQL_CLASSES } from './types.js';
import type { Policy } from './types.js';
import { claims } from './test/fixtures.js';

const action = fc.constantFrom('allow', 'require-approval', 'block');
const policyText = (i: number) =>
  fc
    .record({
      min: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
      minutes: fc.option(fc.integer({ min: 1, max: 600 }), { nil: undefined }),
      self: fc.option(fc.boolean(), { nil: undefined }),
      recording: fc.option(fc.constantFrom('strict', 'best_effort'), { nil: undefined }),
      permission: fc.option(fc.constantFrom(...REPOSITORY_PERMISSIONS), { nil: undefined }),
      reviews: fc.option(fc.boolean(), { nil: undefined }),
      labels: fc.option(fc.subarray(['prod', 'gpu-*', 'eu'], { minLength: 1 }), { nil: undefined }),
      requireGuard: fc.option(fc.boolean(), { nil: undefined }),
      jobApproval: fc.option(fc.boolean(), { nil: undefined }),
      packs: fc.option(fc.subarray([...MASKING_PACKS]), { nil: undefined }),
      stepAction: action,
      sqlClasses: fc.subarray([...SQL_CLASSES], { minLength: 1 }),
      sqlAction: action,
    })
    .map((r) => {
      const lines = [`kind: repository`, `name: p${i}`, `match: { repository: acme/shop }`, 'approvals:'];
      lines.push(`  min: ${r.min ?? 1}`);
      if (r.minutes !== undefined) lines.push(`  expire-after: ${r.minutes}m`);
      if (r.self !== undefined) lines.push(`  allow-self-approval: ${r.self}`);
      if (r.permission) lines.push(`  min-permission: ${r.permission}`);
      if (r.reviews !== undefined) lines.push(`  pull-request-review-counts: ${r.reviews}`);
      lines.push('runners:', `  labels: [${(r.labels ?? ['any-*']).join(', ')}]`);
      if (r.requireGuard !== undefined) lines.push(`  require-guard: ${r.requireGuard}`);
      if (r.jobApproval !== undefined) lines.push(`  job-approval: ${r.jobApproval}`);
      if (r.recording) lines.push(`recording: ${r.recording}`);
      if (r.packs) lines.push(`masking: { packs: [${r.packs.join(', ')}] }`);
      lines.push(`steps:\n  - when: { script-matches: deploy }\n    action: ${r.stepAction}`);
      lines.push(`sql:\n  - when: { statement: [${r.sqlClasses.join(', ')}] }\n    action: ${r.sqlAction}`);
      return parsePolicy(`${lines.join('\n')}\n`, `p${i}.yml`);
    });

const policies = fc
  .integer({ min: 1, max: 4 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => policyText(i))));

describe('layering properties', () => {
  it('the effective policy is at least as strict as each governing policy', () => {
    fc.assert(
      fc.property(policies, fc.constantFrom(...SQL_CLASSES), (ps: Policy[], cls) => {
        const r = resolvePolicy(buildPolicySet(ps), claims());
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        const e = r.policy;
        const step = decideStep(e, { name: 's', kind: 'shell', script: './deploy.sh' });
        const sql = decideSql(e, { class: cls, tables: [], withoutWhere: false, text: cls });
        for (const p of ps) {
          expect(e.approvals.min).toBeGreaterThanOrEqual(p.approvals.min ?? 1);
          expect(e.approvals.expireAfterMs).toBeLessThanOrEqual(p.approvals.expireAfterMs ?? 3_600_000);
          if (p.approvals.allowSelfApproval !== true) expect(e.approvals.allowSelfApproval).toBe(false);
          if ((p.recording ?? 'strict') === 'strict') expect(e.recording).toBe('strict');
          for (const pack of p.masking.packs ?? MASKING_PACKS) expect(e.masking.packs).toContain(pack);
          if (p.approvals.minPermission !== undefined)
            expect(permissionRank(e.approvals.minPermission ?? 'read')).toBeGreaterThanOrEqual(
              permissionRank(p.approvals.minPermission),
            );
          if (p.approvals.pullRequestReviewCounts !== true)
            expect(e.approvals.pullRequestReviewCounts).toBe(false);
          if (p.runners?.requireGuard === true) expect(e.runners.requireGuard).toBe(true);
          if (p.runners?.jobApproval === true) expect(e.runners.jobApproval).toBe(true);
          // Every policy's runner labels stay a gate of their own.
          expect(e.runners.labels).toContainEqual({
            policy: p.name,
            source: p.source,
            patterns: p.runners?.labels,
          });
          expect(actionRank(step.action)).toBeGreaterThanOrEqual(actionRank(p.steps[0]?.action ?? 'allow'));
          if (p.sql[0]?.when.statement?.includes(cls)) {
            expect(actionRank(sql.action)).toBeGreaterThanOrEqual(actionRank(p.sql[0].action));
          }
        }
        // The runner gets the effective policy as JSON and must decide the same.
        const wire = JSON.parse(JSON.stringify(e)) as typeof e;
        expect(decideStep(wire, { name: 's', kind: 'shell', script: './deploy.sh' })).toEqual(step);
      }),
      { numRuns: 300 },
    );
  });

  it('a glob without metacharacters matches exactly itself', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !/[*?]/.test(s)),
        fc.string(),
        (pattern, other) => {
          expect(globMatch(pattern, pattern)).toBe(true);
          expect(globMatch(pattern, other)).toBe(pattern === other);
        },
      ),
    );
  });

  it('** matches anything and * never crosses a slash', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(globMatch('**', `${a}/${b}`)).toBe(true);
        expect(globMatch('*', `${a}/${b}`)).toBe(false);
      }),
    );
  });
});

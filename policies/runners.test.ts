import { describe, expect, it } from 'vitest';
import { layer, resolvePolicy as resolve } from './match.js';
import { parsePolicy } from './parse.js';
import { checkRunnerGates } from './runners.js';
import { policySetFromTexts } from './set.js';
import type { EffectivePolicy } from './types.js';
import { claims } from './test/fixtures.js';

function effective(files: Record<string, string>): EffectivePolicy {
  const r = resolve(policySetFromTexts(files), claims({ runner_environment: 'self-hosted' }));
  if (!r.ok) throw new Error(r.reason);
  return r.policy;
}

const org = (runners: string) =>
  `kind: organization\nname: acme-org\nmatch: { repository_owner: acme }\nrunners: ${runners}\n`;
const shop = (runners: string) =>
  `kind: repository\nname: shop\nmatch: { repository: acme/shop }\nrunners: ${runners}\n`;

describe('checkRunnerGates', () => {
  it('lets any runner run any workflow when no policy lists labels or workflows', () => {
    const p = effective({ 'org.yml': org('{ require-guard: true }') });
    expect(checkRunnerGates(p, { labels: [] }, claims())).toEqual({ ok: true });
  });

  it('needs every layer satisfied, each by any of the runner labels (case-insensitive)', () => {
    const p = effective({
      'org.yml': org('{ labels: [acme-pool-*] }'),
      'shop.yml': shop('{ labels: [gpu, prod] }'),
    });
    expect(checkRunnerGates(p, { labels: ['self-hosted', 'ACME-pool-eu', 'GPU'] }, claims()).ok).toBe(true);
    const noGpu = checkRunnerGates(p, { labels: ['self-hosted', 'acme-pool-eu'] }, claims());
    expect(noGpu).toEqual({
      ok: false,
      policy: 'shop',
      reason:
        'policy shop allows it only on runners labelled gpu or prod, and this runner has self-hosted, acme-pool-eu. ' +
        'Use runs-on with a runner that carries one of them.',
    });
    // The organization's gate is not satisfied by a label the repository allows.
    const outsidePool = checkRunnerGates(p, { labels: ['gpu'] }, claims());
    expect(outsidePool).toMatchObject({ ok: false, policy: 'acme-org' });
    expect(checkRunnerGates(p, { labels: [] }, claims())).toMatchObject({
      ok: false,
      reason: expect.stringContaining('this runner has no labels') as string,
    });
  });

  it('matches workflows on job_workflow_ref or workflow_ref; * stays within one path segment', () => {
    const p = effective({
      'org.yml': org('{ workflows: ["acme/*/.github/workflows/*.yml@refs/heads/main", "acme/platform/**"] }'),
      'shop.yml': shop('{ workflows: ["acme/shop/.github/workflows/deploy.yml@**", "acme/platform/**"] }'),
    });
    expect(checkRunnerGates(p, { labels: [] }, claims()).ok).toBe(true);
    const branch = claims({
      workflow_ref: 'acme/shop/.github/workflows/deploy.yml@refs/heads/feature/x',
      job_workflow_ref: 'acme/shop/.github/workflows/deploy.yml@refs/heads/feature/x',
    });
    expect(checkRunnerGates(p, { labels: [] }, branch)).toEqual({
      ok: false,
      policy: 'acme-org',
      reason:
        'workflow acme/shop/.github/workflows/deploy.yml@refs/heads/feature/x is not among the workflows policy acme-org ' +
        'allows on self-hosted runners (acme/*/.github/workflows/*.yml@refs/heads/main, acme/platform/**). ' +
        'Ask the platform team to allow it, or run it elsewhere.',
    });
    // A job defined in the platform's reusable workflow passes both gates whoever calls it.
    const reusable = claims({
      workflow_ref: 'acme/shop/.github/workflows/ci.yml@refs/heads/feature/x',
      job_workflow_ref: 'acme/platform/.github/workflows/deploy.yml@refs/tags/v3',
    });
    expect(checkRunnerGates(p, { labels: [] }, reusable).ok).toBe(true);
  });

  it('refuses when the job has no workflow ref at all (the runner hook could not tell)', () => {
    const p = effective({ 'org.yml': org('{ workflows: ["**"] }') });
    const { workflow_ref: _w, job_workflow_ref: _j, ...bare } = claims();
    const r = checkRunnerGates(p, { labels: [] }, bare);
    expect(r).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^workflow \(unknown\) is not among/) as string,
    });
  });
});

describe('a policy object not made by parsePolicy', () => {
  it('with a malformed runners list refuses every runner instead of dropping the gate', () => {
    const p = parsePolicy(org('{ require-guard: true }'), 'org.yml');
    Object.assign(p, { runners: { labels: 'prod' } });
    const e = layer([p]);
    expect(e.runners.labels).toEqual([{ policy: 'acme-org', source: 'org.yml', patterns: [] }]);
    expect(checkRunnerGates(e, { labels: ['prod'] }, claims())).toEqual({
      ok: false,
      policy: 'acme-org',
      reason: 'policy acme-org (org.yml) has a malformed runners.labels; fix the policy (refused until then)',
    });
  });
});

import { describe, expect, it } from 'vitest';
import {
  claimsFromProtectionRule,
  runIdFromCallback,
  type ProtectionRuleRequest,
} from './deployment-claims.js';

const request: ProtectionRuleRequest = {
  environment: 'production',
  event: 'push',
  deployment: { id: 1, sha: 'c'.repeat(40), ref: 'main', creator: { login: 'dana' } },
  repository: { id: 9, full_name: 'acme/shop', owner: { login: 'acme', id: 7 } },
  sender: { login: 'erin' },
};

describe('deployment protection rule identity', () => {
  it('takes the run id only from a callback on the configured API for this repository', () => {
    const api = 'https://api.github.com';
    expect(
      runIdFromCallback(
        `${api}/repos/acme/shop/actions/runs/42/deployment_protection_rule`,
        api,
        'acme/shop',
      ),
    ).toBe('42');
    for (const url of [
      `https://evil.example/repos/acme/shop/actions/runs/42/deployment_protection_rule`,
      `${api}/repos/acme/other/actions/runs/42/deployment_protection_rule`,
      `${api}/repos/acme/shop/actions/runs/42/../../../../user`,
      `${api}.evil.example/repos/acme/shop/actions/runs/42/deployment_protection_rule`,
    ])
      expect(runIdFromCallback(url, api, 'acme/shop')).toBeUndefined();
  });

  it('builds policy claims: branch names become refs, creator is the actor, the sender re-ran it', () => {
    expect(claimsFromProtectionRule(request, '42')).toMatchObject({
      repository: 'acme/shop',
      repository_id: '9',
      repository_owner: 'acme',
      repository_owner_id: '7',
      run_id: '42',
      ref: 'refs/heads/main',
      ref_type: 'branch',
      sha: 'c'.repeat(40),
      actor: 'dana',
      triggering_actor: 'erin',
      event_name: 'push',
      environment: 'production',
      workflow: '',
    });
    expect(
      claimsFromProtectionRule(
        { ...request, deployment: { ...request.deployment!, ref: 'refs/tags/v1' } },
        '1',
      ).ref,
    ).toBe('refs/tags/v1');
  });
});

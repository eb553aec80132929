import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PACK_YAML, defaultPolicySet } from './default-pack.js';
import { decideStep } from './decide.js';
import { resolvePolicy } from './match.js';
import { claims } from './test/fixtures.js';

describe('embedded default pack', () => {
  it('is the text of policies/default/guard-default.yml (else run node policies/default/embed.mjs)', async () => {
    const onDisk = await readFile(new URL('./default/guard-default.yml', import.meta.url), 'utf8');
    expect(DEFAULT_PACK_YAML).toBe(onDisk);
  });

  it('governs a job with secure defaults', () => {
    const r = resolvePolicy(defaultPolicySet(), claims());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.policy.recording).toBe('strict');
    expect(decideStep(r.policy, { name: 'x', kind: 'shell', script: 'terraform apply' }).action).toBe(
      'require-approval',
    );
  });
});

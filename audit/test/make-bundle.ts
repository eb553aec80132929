// Builds a real bundle the way the action and server will: recorder files, writeBundle, server signature.

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { JobClaims } from '../../lib/claims.js';
import { openEventLog, openStepRecording } from '../../recording/recording-files.js';
import { writeBundle, writeEnvelope } from '../bundle-writer.js';
import type { StepRecord } from '../manifest.js';
import { signManifest } from '../sign-manifest.js';
import type { SigningKey } from '../signing-keys.js';

export const CLAIMS: JobClaims = {
  iss: 'https://token.actions.githubusercontent.com',
  aud: 'guard',
  sub: 'repo:acme/shop:environment:production',
  repository: 'acme/shop',
  repository_id: '42',
  repository_owner: 'acme',
  repository_owner_id: '7',
  run_id: '9001',
  run_attempt: '1',
  ref: 'refs/heads/main',
  sha: 'a'.repeat(40),
  actor: 'octocat',
  workflow: 'deploy',
  event_name: 'push',
  environment: 'production',
};

export async function makeBundle(dir: string, key: SigningKey, signedAt = new Date()): Promise<void> {
  await mkdir(dir, { recursive: true });
  const t0 = Date.UTC(2025, 0, 1, 12);
  const events = await openEventLog(join(dir, 'events.jsonl'), { mode: 'strict' });
  const steps: StepRecord[] = [];
  for (const n of [1, 2]) {
    const startedAt = t0 + n * 60_000;
    await events.append({ type: 'step.start', step: n }, startedAt);
    const cast = await openStepRecording(
      join(dir, 'steps', `${n}.cast`),
      { cols: 80, rows: 24, title: `step ${n}` },
      { mode: 'strict', startedAtMs: startedAt },
    );
    await cast.marker('approval: waiting', startedAt + 10);
    await events.append(
      { type: 'approval.decided', step: n, reviewer: 'alice', decision: 'approved' },
      startedAt + 20,
    );
    await cast.marker('approval: approved by alice', startedAt + 20);
    for (let i = 0; i < 4; i += 1)
      await cast.output(`step ${n} output ${i} [email masked]\r\n`, startedAt + 100 + i);
    if (n === 2)
      await events.append({ type: 'sql.statement', step: n, verb: 'update', rows: 3 }, startedAt + 150);
    await events.append({ type: 'mask.counts', step: n, counts: { email: 4 } }, startedAt + 190);
    await cast.exit(0, startedAt + 200);
    await cast.close();
    await events.append({ type: 'step.end', step: n, exitCode: 0 }, startedAt + 200);
    steps.push({
      n,
      name: n === 1 ? 'Deploy' : 'Migrate',
      kind: n === 1 ? 'shell' : 'sql',
      scriptSha256: String(n).repeat(64),
      decision: 'approved',
      approvals: [
        {
          reviewer: 'alice',
          channel: 'pr-comment',
          at: new Date(startedAt + 20).toISOString(),
          decision: 'approved',
        },
      ],
      exitCode: 0,
      startedAt: new Date(startedAt).toISOString(),
      endedAt: new Date(startedAt + 200).toISOString(),
      castFile: `steps/${n}.cast`,
      maskCounts: { email: 4 },
      ...(n === 2 ? { sqlCounts: { update: 1, select: 2 } } : {}),
    });
  }
  await events.close();
  const { manifestBytes } = await writeBundle(dir, {
    sessionId: 'sess-1',
    identity: CLAIMS,
    job: 'deploy',
    steps,
    policy: { name: 'acme-prod', version: '3' },
    createdAt: new Date(t0 + 600_000).toISOString(),
  });
  await writeEnvelope(dir, signManifest(manifestBytes, key, signedAt));
}

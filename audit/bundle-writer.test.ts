import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEventChain } from '../recording/event-chain.js';
import { openEventLog, openStepRecording } from '../recording/recording-files.js';
import { writeBundle } from './bundle-writer.js';
import { CLAIMS } from './test/make-bundle.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'guard-writer-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function record() {
  const events = await openEventLog(join(dir, 'events.jsonl'), { mode: 'strict' });
  await events.append({ type: 'step.start', step: 1 });
  const cast = await openStepRecording(join(dir, 'steps/1.cast'), { cols: 80, rows: 24 }, { mode: 'strict' });
  await cast.output('hi\r\n');
  const closedCast = await cast.close();
  const closedEvents = await events.close();
  return {
    'events.jsonl': { head: closedEvents.head, count: closedEvents.count },
    'steps/1.cast': { head: closedCast.head, count: closedCast.count },
  };
}

const input = (chains: Record<string, { head: string; count: number }>) => ({
  sessionId: 's',
  identity: CLAIMS,
  job: 'deploy',
  policy: { name: 'p' },
  chains,
  steps: [
    {
      n: 1,
      name: 'Deploy',
      kind: 'shell',
      scriptSha256: '0'.repeat(64),
      decision: 'allowed',
      approvals: [],
      exitCode: 0,
      startedAt: '2025-01-01T00:00:00Z',
      castFile: 'steps/1.cast',
      maskCounts: {},
    },
  ],
});

describe('writeBundle', () => {
  it('writes a deterministic manifest with every file, its digest and chain head', async () => {
    const chains = await record();
    const { manifest, manifestBytes } = await writeBundle(dir, {
      ...input(chains),
      createdAt: '2025-01-01T00:00:00Z',
    });
    expect(manifest.files.map((f) => f.path)).toEqual(['events.jsonl', 'steps/1.cast']);
    expect(manifest.chains).toEqual(chains);
    expect(manifest.steps[0]!.castSha256).toBe(manifest.files[1]!.sha256);
    expect(await readFile(join(dir, 'manifest.json'))).toEqual(manifestBytes);
    // Same input, same bytes: keys are sorted, so the digest the server signs is reproducible.
    expect(
      (await writeBundle(dir, { ...input(chains), createdAt: '2025-01-01T00:00:00Z' })).manifestBytes,
    ).toEqual(manifestBytes);
  });

  it('refuses to write a manifest when a file no longer ends where the recorder closed it', async () => {
    const chains = await record();
    const forged = createEventChain(chains['events.jsonl'].head, 1).append(
      { type: 'approval.decided', reviewer: 'mallory' },
      Date.now(),
    );
    await appendFile(join(dir, 'events.jsonl'), forged);
    await expect(writeBundle(dir, input(chains))).rejects.toThrow(
      /events.jsonl on disk ends at chain head .* \(2 lines\) but the recorder closed it at .* \(1\)/,
    );
  });
});

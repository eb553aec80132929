import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GuardError } from '../lib/errors.js';
import { verifyCast } from './cast-verify.js';
import { verifyEventChain } from './event-chain.js';
import { openEventLog, openStepRecording, stepRecordingOn } from './recording-files.js';
import { sha256Hex } from './sha256.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'guard-rec-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('recording files', () => {
  it('writes a cast and an event log that verify, with the digests and heads close() reports', async () => {
    const events = await openEventLog(join(dir, 'events.jsonl'), { mode: 'strict' });
    await events.append({ type: 'step.start', step: 1 });
    const rec = await openStepRecording(
      join(dir, 'steps', '1.cast'),
      { cols: 80, rows: 24 },
      { mode: 'strict', startedAtMs: 1000 },
    );
    await Promise.all([
      rec.output('hello\r\n', 1010),
      rec.marker('approval: approved by alice', 1020),
      rec.exit(0, 1030),
    ]);
    const cast = await rec.close();
    await events.append({ type: 'step.end', step: 1, castSha256: cast.sha256 });
    const log = await events.close();

    const castText = await readFile(cast.path, 'utf8');
    expect(cast.sha256).toBe(sha256Hex(castText));
    expect(verifyCast(castText, { head: cast.head, count: cast.count })).toMatchObject({
      ok: true,
      markers: ['approval: approved by alice'],
    });
    const logText = await readFile(log.path, 'utf8');
    expect(log).toMatchObject({
      sha256: sha256Hex(logText),
      size: Buffer.byteLength(logText),
      count: 2,
      gaps: [],
    });
    expect(verifyEventChain(logText, { head: log.head, count: 2 }).ok).toBe(true);
  });

  it('never overwrites an existing recording', async () => {
    await openEventLog(join(dir, 'events.jsonl'), { mode: 'strict' }).then((l) => l.close());
    await expect(openEventLog(join(dir, 'events.jsonl'), { mode: 'strict' })).rejects.toMatchObject({
      code: 'RECORDING_FAILED',
    });
  });

  it('strict: a full disk stops the step with RECORDING_FAILED', async () => {
    const handle = await open('/dev/full', 'w');
    const attempt = stepRecordingOn(handle, '/dev/full', { cols: 80, rows: 24 }, { mode: 'strict' });
    await expect(attempt).rejects.toBeInstanceOf(GuardError);
    await expect(attempt).rejects.toThrow(
      /could not write the recording \/dev\/full: .*ENOSPC.*recording is strict/,
    );
  });

  it('best_effort: a full disk becomes a recording.gap event and the step goes on', async () => {
    const events = await openEventLog(join(dir, 'events.jsonl'), { mode: 'strict' });
    const handle = await open('/dev/full', 'w');
    const rec = await stepRecordingOn(
      handle,
      '/dev/full',
      { cols: 80, rows: 24 },
      { mode: 'best_effort', events, step: 2 },
    );
    await rec.output('lost', Date.now());
    const closed = await rec.close();
    expect(closed.gaps).toHaveLength(1);
    expect(closed).toMatchObject({ size: 0, count: 0 });
    const log = await events.close();
    const verified = verifyEventChain(await readFile(log.path, 'utf8'));
    expect(verified.events[0]).toMatchObject({
      type: 'recording.gap',
      step: 2,
      file: '/dev/full',
      afterLine: 0,
    });
    expect(String(verified.events[0]!.error)).toMatch(/ENOSPC/);
  });
});

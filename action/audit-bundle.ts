// Assembles the job's audit bundle folder from what the guarded steps recorded (events.jsonl and one .cast
// per step) and writes manifest.json over it; audit/ owns the format and the digests.
import { cp, mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeBundle } from '../audit/bundle-writer.js';
import { EVENTS_FILE, type DeploymentRecord } from '../audit/manifest.js';
import type { JobClaims } from '../lib/claims.js';
import { sha256Hex } from '../lib/digest.js';
import { summarizeSteps, toStepRecord, type StepView } from './step-summary.js';

export interface AssembledBundle {
  dir: string;
  files: string[];
  manifestSha256: string;
  steps: StepView[];
}

export async function assembleBundle(input: {
  recordDir: string;
  outDir: string;
  sessionId: string;
  job: string;
  identity: JobClaims;
  policy: { name: string; version: string };
  deployment?: DeploymentRecord;
}): Promise<AssembledBundle> {
  await rm(input.outDir, { recursive: true, force: true });
  await mkdir(input.outDir, { recursive: true });
  await cp(input.recordDir, input.outDir, { recursive: true });
  const events = await readFile(join(input.outDir, EVENTS_FILE), 'utf8').catch(() => '');
  const steps = summarizeSteps(events);
  const { manifest, manifestBytes } = await writeBundle(input.outDir, {
    sessionId: input.sessionId,
    identity: input.identity,
    job: input.job,
    steps: steps.map(toStepRecord),
    policy: input.policy,
    ...(input.deployment ? { deployment: input.deployment } : {}),
  });
  return {
    dir: input.outDir,
    files: [
      ...manifest.files.map((file) => join(input.outDir, file.path)),
      join(input.outDir, 'manifest.json'),
    ],
    manifestSha256: sha256Hex(manifestBytes),
    steps,
  };
}

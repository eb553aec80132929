// Writes manifest.json for a bundle folder that already holds events.jsonl and steps/<n>.cast: digests every
// file, checks each chain against what the recorder reported, and fills in the chain heads.

import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GuardError } from '../lib/errors.js';
import { verifyCast } from '../recording/cast-verify.js';
import { verifyEventChain } from '../recording/event-chain.js';
import { listFiles } from './bundle-files.js';
import type { DsseEnvelope } from './dsse.js';
import {
  ENVELOPE_FILE,
  EVENTS_FILE,
  MANIFEST_FILE,
  MANIFEST_VERSION,
  serialiseManifest,
} from './manifest.js';
import type { ChainHead, FileRecord, Manifest } from './manifest.js';
import { serialiseEnvelope } from './sign-manifest.js';

export type BundleInput = Omit<Manifest, 'version' | 'files' | 'chains' | 'createdAt'> & {
  createdAt?: string;
  /** Heads the recorders reported on close (path -> head); the files on disk must end at them. */
  chains?: Record<string, ChainHead>;
};

export async function writeBundle(
  dir: string,
  input: BundleInput,
): Promise<{ manifest: Manifest; manifestBytes: Buffer }> {
  const files: FileRecord[] = [];
  const chains: Record<string, ChainHead> = {};
  for (const path of await listFiles(dir)) {
    if (path === MANIFEST_FILE || path === ENVELOPE_FILE) continue;
    const bytes = await readFile(join(dir, path));
    files.push({ path, sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length });
    const chain = chainOf(path, bytes.toString('utf8'));
    if (chain === undefined) continue;
    const reported = input.chains?.[path];
    if (reported !== undefined && (reported.head !== chain.head || reported.count !== chain.count)) {
      throw new GuardError(
        'RECORDING_FAILED',
        `guard: ${path} on disk ends at chain head ${chain.head} (${chain.count} lines) but the recorder closed it at ${reported.head} (${reported.count}); the file was changed after recording, so no manifest is written`,
      );
    }
    chains[path] = chain;
  }
  for (const path of Object.keys(input.chains ?? {})) {
    if (chains[path] === undefined)
      throw new GuardError('RECORDING_FAILED', `guard: the recorder wrote ${path} but it is not in ${dir}`);
  }
  const byPath = new Map(files.map((f) => [f.path, f]));
  const steps = input.steps.map((step) => {
    if (step.castFile === undefined) return step;
    const file = byPath.get(step.castFile);
    if (file === undefined)
      throw new GuardError(
        'RECORDING_FAILED',
        `guard: step ${step.n}'s recording ${step.castFile} is missing from ${dir}`,
      );
    if (step.castSha256 !== undefined && step.castSha256 !== file.sha256) {
      throw new GuardError(
        'RECORDING_FAILED',
        `guard: step ${step.n}'s recording ${step.castFile} changed after the step ended`,
      );
    }
    return { ...step, castSha256: file.sha256 };
  });
  const { chains: _reported, createdAt, ...rest } = input;
  const manifest: Manifest = {
    ...rest,
    version: MANIFEST_VERSION,
    steps,
    files,
    chains,
    createdAt: createdAt ?? new Date().toISOString(),
  };
  const manifestBytes = serialiseManifest(manifest);
  await writeFile(join(dir, MANIFEST_FILE), manifestBytes);
  return { manifest, manifestBytes };
}

export async function writeEnvelope(dir: string, envelope: DsseEnvelope): Promise<void> {
  await writeFile(join(dir, ENVELOPE_FILE), serialiseEnvelope(envelope));
}

function chainOf(path: string, text: string): ChainHead | undefined {
  const describe = (problem: { line: number; message: string } | undefined) =>
    problem ? `line ${problem.line}: ${problem.message}` : 'unknown problem';
  if (path === EVENTS_FILE) {
    const v = verifyEventChain(text);
    if (!v.ok)
      throw new GuardError(
        'RECORDING_FAILED',
        `guard: ${path} does not verify before bundling: ${describe(v.problem)}`,
      );
    return { head: v.head, count: v.count };
  }
  if (path.endsWith('.cast')) {
    const v = verifyCast(text);
    if (!v.ok)
      throw new GuardError(
        'RECORDING_FAILED',
        `guard: ${path} does not verify before bundling: ${describe(v.problem)}`,
      );
    return { head: v.head, count: v.count };
  }
  return undefined;
}

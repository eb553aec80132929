// Reads a bundle from a folder or a zip into memory: path (with '/') -> bytes. A zip downloaded from GitHub
// may hold the bundle at its root or in one folder; either is accepted.

import { readFile, readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { GuardError } from '../lib/errors.js';
import { MANIFEST_FILE } from './manifest.js';
import { readZip } from './zip-reader.js';

export type BundleFiles = Map<string, Buffer>;

export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

export async function loadBundle(path: string): Promise<BundleFiles> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    throw new GuardError('NOT_FOUND', `guard: no bundle at ${path}: give a bundle folder or its zip`, {
      cause: error,
    });
  }
  const files: BundleFiles = new Map();
  if (info.isDirectory()) {
    for (const name of await listFiles(path)) files.set(name, await readFile(join(path, name)));
  } else {
    for (const [name, bytes] of readZip(await readFile(path), path)) files.set(name, bytes);
  }
  return rootAtManifest(files);
}

/** If manifest.json sits in a single sub-folder (the artifact's folder), strip that prefix. */
function rootAtManifest(files: BundleFiles): BundleFiles {
  if (files.has(MANIFEST_FILE)) return files;
  const manifests = [...files.keys()].filter((p) => p.endsWith(`/${MANIFEST_FILE}`));
  if (manifests.length !== 1) return files;
  const prefix = manifests[0]!.slice(0, -MANIFEST_FILE.length);
  const rooted: BundleFiles = new Map();
  for (const [name, bytes] of files)
    rooted.set(name.startsWith(prefix) ? name.slice(prefix.length) : name, bytes);
  return rooted;
}

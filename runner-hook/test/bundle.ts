// Bundles entry points the way scripts/build.mjs does, into a temp folder, so tests run what the runner
// runs without touching the shared dist/. With `action: true` it also lays out an action folder
// (action.yml + dist/main.js, post.js, guard.js) the runner stand-in can start.
import { build } from 'esbuild';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
// The same options as dist/: a test runs what the runner runs.
import { bundleOptions } from '../../scripts/bundle-options.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface Bundle {
  /** Folder with action.yml (when bundled with the action). */
  actionDir: string;
  /** The dist/ folder: job-started.js, job-completed.js (and main.js, post.js, guard.js). */
  dist: string;
  remove(): Promise<void>;
}

export async function bundleHooks(options: { action?: boolean } = {}): Promise<Bundle> {
  const actionDir = await mkdtemp(join(tmpdir(), 'guard-hook-bundle-'));
  const dist = join(actionDir, 'dist');
  await mkdir(dist);
  const entryPoints: Record<string, string> = {
    'job-started': join(root, 'runner-hook/job-started.ts'),
    'job-completed': join(root, 'runner-hook/job-completed.ts'),
  };
  if (options.action) {
    entryPoints.main = join(root, 'action/main.ts');
    entryPoints.post = join(root, 'action/post.ts');
    entryPoints.guard = join(root, 'cli/guard.ts');
    await copyFile(join(root, 'action.yml'), join(actionDir, 'action.yml'));
  }
  await build(bundleOptions({ entryPoints, outdir: dist }));
  await writeFile(join(dist, 'package.json'), '{ "type": "module" }\n');
  return { actionDir, dist, remove: () => rm(actionDir, { recursive: true, force: true }) };
}

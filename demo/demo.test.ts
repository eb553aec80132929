// `npm run demo` as a new user runs it: the bundled CLI in a fresh folder, nothing else started.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';

const guardJs = resolve(dirname(fileURLToPath(import.meta.url)), '../dist/guard.js');
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

it('runs the whole guarded flow, exits 0 and leaves the bundle where it says', async () => {
  const cwd = await mkdtemp(join(tmpdir(), 'guard-demo-test-'));
  dirs.push(cwd);
  const child = spawn(process.execPath, [guardJs, 'demo'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((done) => child.on('close', done));
  expect(code, output).toBe(0);
  expect(output).toMatch(/step 'Deploy' needs 1 approval/);
  expect(output).toMatch(/step 'Deploy' approved by alice/);
  expect(output).toMatch(/VALID  /);
  expect(output).toContain('[MASKED:email]');
  expect(output).not.toContain('maria.silva@example.com');
  const bundle = /Audit bundle: (\S+)/.exec(output)?.[1] ?? '';
  expect(bundle.startsWith(cwd)).toBe(true);
  expect((await readdir(bundle)).sort()).toEqual(
    expect.arrayContaining(['events.jsonl', 'manifest.json', 'steps']),
  );
  const deploy = await readFile(join(bundle, 'steps', '2.cast'), 'utf8');
  expect(deploy).toContain('deploy done');
  expect(deploy).not.toContain('AKIAIOSFODNN7EXAMPLE');
}, 120_000);

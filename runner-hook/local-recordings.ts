// What the action recorded on this runner: `$RUNNER_TEMP/guard/<session>/record/{events.jsonl,steps/*.cast}`.
// Only regular files are taken, never through a symlink: a step runs as the same user and could otherwise
// point the hook at any file of the runner's and have it shipped to the server.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { LocalRecordingFile, LocalSession } from './protocol.js';
import { RECORDING_PATH } from './protocol.js';

const SESSION_DIR = /^[0-9a-f]{16}$/;

export interface FoundSession extends LocalSession {
  recordDir: string;
}

export async function findLocalSessions(runnerTemp: string | undefined): Promise<FoundSession[]> {
  if (!runnerTemp) return [];
  const guardDir = join(runnerTemp, 'guard');
  if (!(await isRealDir(guardDir))) return [];
  const found: FoundSession[] = [];
  for (const name of (await readdir(guardDir)).sort()) {
    if (!SESSION_DIR.test(name)) continue;
    const sessionDir = join(guardDir, name);
    const recordDir = join(sessionDir, 'record');
    if (!(await isRealDir(sessionDir)) || !(await isRealDir(recordDir))) {
      found.push({ id: name, recordDir, files: [] });
      continue;
    }
    const candidates = ['events.jsonl'];
    if (await isRealDir(join(recordDir, 'steps')))
      candidates.push(...(await readdir(join(recordDir, 'steps'))).map((file) => `steps/${file}`));
    const files: LocalRecordingFile[] = [];
    for (const path of candidates.filter((p) => RECORDING_PATH.test(p)).sort()) {
      const described = await describeFile(join(recordDir, path));
      if (described) files.push({ path, ...described });
    }
    found.push({ id: name, recordDir, files });
  }
  return found;
}

async function describeFile(file: string): Promise<{ size: number; sha256: string } | undefined> {
  const info = await lstat(file).catch(() => undefined);
  if (!info?.isFile()) return undefined;
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { size, sha256: hash.digest('hex') };
}

/** Reads `length` bytes at `offset` (fewer at the end of the file). */
export async function readSlice(file: string, offset: number, length: number): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, offset);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function isRealDir(path: string): Promise<boolean> {
  const info = await lstat(path).catch(() => undefined);
  return info?.isDirectory() === true;
}

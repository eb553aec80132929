import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findLocalSessions } from './local-recordings.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('findLocalSessions', () => {
  it('takes the recording files of each session and nothing reached through a symlink', async () => {
    const temp = await mkdtemp(join(tmpdir(), 'guard-local-'));
    dirs.push(temp);
    const secret = join(temp, 'runner-credential');
    await writeFile(secret, 'grn_secret');
    const record = join(temp, 'guard', '0123456789abcdef', 'record');
    await mkdir(join(record, 'steps'), { recursive: true });
    await writeFile(join(record, 'events.jsonl'), '{"type":"step.start"}\n');
    await writeFile(join(record, 'steps', '1.cast'), 'cast');
    await writeFile(join(record, 'steps', 'notes.txt'), 'not evidence');
    // A step runs as the runner's user: it could plant links to make the hook ship other files.
    await symlink(secret, join(record, 'steps', '2.cast'));
    const linked = join(temp, 'guard', 'fedcba9876543210');
    await mkdir(linked, { recursive: true });
    await symlink(join(temp), join(linked, 'record'));

    const sessions = await findLocalSessions(temp);
    expect(sessions.map((s) => s.id)).toEqual(['0123456789abcdef', 'fedcba9876543210']);
    expect(sessions[0]?.files.map((f) => [f.path, f.size])).toEqual([
      ['events.jsonl', 22],
      ['steps/1.cast', 4],
    ]);
    expect(sessions[1]?.files).toEqual([]);
  });

  it('finds nothing when the action never ran', async () => {
    expect(await findLocalSessions(undefined)).toEqual([]);
    expect(await findLocalSessions(join(tmpdir(), 'guard-no-such-folder'))).toEqual([]);
  });
});

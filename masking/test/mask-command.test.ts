// `guard mask` through runMaskCommand with real streams and a real secrets file.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runMaskCommand } from '../mask-command.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'guard-mask-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(argv: string[], input: string | Buffer[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const stdin = Readable.from(typeof input === 'string' ? [Buffer.from(input)] : input);
  const code = await runMaskCommand(argv, { stdin, stdout, stderr });
  return { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
}

describe('guard mask', () => {
  it('masks stdin to stdout with all packs, known secrets from a flag and a file, and reports counts', async () => {
    const file = path.join(dir, 'secrets.txt');
    await writeFile(file, 'file-secret-0001\n\nsecond-file-secret\n');
    const input = [
      'deploy with flag-secret-0001 and file-secret-0001',
      `b64 ${Buffer.from('second-file-secret').toString('base64')}`,
      'contact ana@example.com, cpf 529.982.247-25, card 4111-1111-1111-1111',
      '::add-mask::late-registered-value',
      'late-registered-value',
      'no newline at the end',
    ].join('\n');
    const result = await run(['--secret', 'flag-secret-0001', '--secrets-file', file, '--counts'], input);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        'deploy with *** and ***',
        'b64 ***',
        'contact [MASKED:email], cpf [MASKED:cpf], card [MASKED:card]',
        '::add-mask::***',
        '***',
        'no newline at the end',
      ].join('\n'),
    );
    expect(JSON.parse(result.stderr)).toEqual({ secret: 4, email: 1, cpf: 1, card: 1 });
  });

  it('selects packs, and `--packs none` masks known values only', async () => {
    const input = 'a@example.com 123-45-6789 token-abcdef\n';
    expect((await run(['--packs', 'pii-us'], input)).stdout).toBe(
      'a@example.com [MASKED:ssn] token-abcdef\n',
    );
    expect((await run(['--packs=none', '--secret=token-abcdef'], input)).stdout).toBe(
      'a@example.com 123-45-6789 ***\n',
    );
  });

  it('keeps a secret split across input chunks and UTF-8 characters masked', async () => {
    const bytes = Buffer.from('x çà-secret-çà y\n');
    const chunks = Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
    expect((await run(['--secret', 'çà-secret-çà'], chunks)).stdout).toBe('x *** y\n');
  });

  it('fails with usage for unknown packs or arguments, and 1 for an unreadable secrets file', async () => {
    const bad = await run(['--packs', 'pii-mars'], '');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown pack pii-mars; valid packs are: secrets, pii-common/);
    expect((await run(['--frobnicate'], '')).code).toBe(2);
    const missing = await run(['--secrets-file', path.join(dir, 'nope.txt')], '');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\.txt/);
    const help = await run(['--help'], '');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/usage: guard mask/);
  });
});

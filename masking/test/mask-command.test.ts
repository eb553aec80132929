// `guard mask` through runMaskCommand with real streams and a real secrets file.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { PassThrough, Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
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

  it('writes all of a long input to a slow stdout, even when the partial-line timer hit its back pressure', async () => {
    // A stdout that takes 1 KiB at a time, a bit later each time: every write is refused, then drains.
    const received: Buffer[] = [];
    const stdout = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, done) {
        received.push(chunk);
        setTimeout(done, 1);
      },
    });
    const stderr = new PassThrough();
    const stdin = new PassThrough();
    const line = `${'x'.repeat(3000)} 4111 1111 1111 1111\n`;
    const run = runMaskCommand([], { stdin, stdout, stderr });
    // A line without its end: the 100 ms timer releases it while the command waits for input, and that
    // write is refused; stdout drains before more input comes, and the next line's output fits at once.
    stdin.write(`${'y'.repeat(3000)} partial`);
    await new Promise((resolve) => setTimeout(resolve, 400));
    stdin.write(' ok\n');
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (let i = 0; i < 50; i++) stdin.write(line);
    stdin.end();
    const stuck = new Promise((resolve) =>
      setTimeout(() => resolve('still waiting after 5 s'), 5000).unref(),
    );
    expect(await Promise.race([run, stuck])).toBe(0);
    const text = Buffer.concat(received).toString();
    expect(text.startsWith(`${'y'.repeat(3000)} partial`)).toBe(true);
    expect(text.split('[MASKED:card]').length - 1).toBe(50);
    expect(text).not.toContain('4111');
  }, 20_000);

  it('masks without WebAssembly too (node --jitless): the line classifier steps aside', () => {
    const guard = fileURLToPath(new URL('../../dist/guard.js', import.meta.url));
    const result = spawnSync(process.execPath, ['--jitless', guard, 'mask'], {
      input: 'card 4111 1111 1111 1111 for ana@example.com\n',
      encoding: 'utf8',
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toBe('card [MASKED:card] for [MASKED:email]\n');
  });
});

import { setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMasker } from './masker.js';
import { createMaskedOutput } from './mask-transform.js';

function collect(secrets: string[] = [], delay?: number) {
  const runner: string[] = [];
  const record: string[] = [];
  const output = createMaskedOutput(
    createMasker({ secrets }).stream(),
    { runner: (t) => runner.push(t), record: (t) => record.push(t) },
    delay === undefined ? {} : { partialLineDelayMs: delay },
  );
  return { output, runner, record };
}

describe('createMaskedOutput', () => {
  it('decodes UTF-8 split inside a character and still masks the secret', () => {
    const secret = 'pässwörd-ñandú';
    const bytes = Buffer.from(`ok ${secret} ok\n`);
    for (let cut = 1; cut < bytes.length; cut++) {
      const { output, record } = collect([secret]);
      output.write(bytes.subarray(0, cut));
      output.write(bytes.subarray(cut));
      output.end();
      expect(record.join(''), `cut at byte ${cut}`).toBe('ok *** ok\n');
    }
  });

  it('decodes any mix of ASCII chunks (read as Latin-1) and split characters exactly as UTF-8', () => {
    const piece = fc.oneof(
      fc.string({ unit: 'grapheme-ascii', maxLength: 20 }),
      fc.constantFrom('✓', 'é', '中文', '🚀', '\n', '\r\n', '\uFEFF'),
      fc.uint8Array({ maxLength: 6 }).map((b) => Buffer.from(b).toString('latin1')),
    );
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 30 }),
        fc.boolean(),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 5 }),
        (pieces, invalid, sizes) => {
          const text = pieces.join('');
          // Some runs with invalid UTF-8 too: the decoder's replacement characters must come out the same.
          const bytes = invalid
            ? Buffer.concat([Buffer.from(text), Buffer.from([0xe2, 0x9c]), Buffer.from('ok\n')])
            : Buffer.from(text);
          const expected = new TextDecoder().decode(bytes);
          let out = '';
          const identity = {
            write: (t: string) => ({ runner: t, record: t }),
            flushPartial: () => ({ runner: '', record: '' }),
            flush: () => ({ runner: '', record: '' }),
            pending: () => false,
          };
          const output = createMaskedOutput(identity, { runner: (t) => (out += t), record: () => undefined });
          for (let at = 0, i = 0; at < bytes.length; i++) {
            const size = sizes[i % sizes.length]!;
            output.write(bytes.subarray(at, at + size));
            at += size;
          }
          output.end();
          expect(out).toBe(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('releases a partial line after the delay, not before', async () => {
    const { output, runner } = collect([], 50);
    output.write(Buffer.from('Continue? [y/N] '));
    expect(runner).toEqual([]);
    await sleep(400);
    expect(runner.join('')).toBe('Continue? [y/N] ');
    output.end();
  });

  it('gives what a write leaves held after ending a line its own full delay', async () => {
    const { output, record } = collect([], 80);
    output.write(Buffer.from('building'));
    await sleep(50);
    // The first line ends here; the timer of 'building' would release 'mail jane.doe' 30 ms later.
    output.write(Buffer.from(' done\nmail jane.doe'));
    await sleep(40);
    output.write(Buffer.from('@example.com\n'));
    output.end();
    expect(record.join('')).toBe('building done\nmail [MASKED:email]\n');
  });

  it('uses 100 ms by default', async () => {
    const { output, runner } = collect();
    output.write('waiting');
    await sleep(30);
    expect(runner).toEqual([]);
    await sleep(500);
    expect(runner.join('')).toBe('waiting');
    output.end();
  });

  it('does not push the release back when more of the same line keeps coming', async () => {
    const { output, runner } = collect([], 60);
    const started = Date.now();
    while (runner.length === 0 && Date.now() - started < 2_000) {
      output.write('.');
      await sleep(10);
    }
    expect(runner.join('')).toMatch(/^\.+$/);
    output.end();
  });

  it('flushes what is held at end(), masked, and refuses writes after it', () => {
    const { output, runner, record } = collect(['the-secret-value']);
    output.write('::add-mask::another-value\nlast the-secret-value another-value');
    output.end();
    output.end();
    expect(runner.join('')).toBe('::add-mask::another-value\nlast *** ***');
    expect(record.join('')).toBe('::add-mask::***\nlast *** ***');
    expect(() => output.write('x')).toThrow(/after end/);
  });
});

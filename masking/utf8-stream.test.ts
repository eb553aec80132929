import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLineClassifier } from './line-classifier/classifier.js';
import { Utf8Stream } from './utf8-stream.js';

const classifier = createLineClassifier([{ text: 'ghp_', family: 1 }]);
if (classifier === null) throw new Error('the kernel did not load: this Node has no WebAssembly SIMD');

/** `bytes` in chunks of `sizes`, through a Utf8Stream; with the classifier's non-ASCII ranges or without. */
function decodeInChunks(bytes: Uint8Array, sizes: readonly number[], withRanges: boolean): string {
  const stream = new Utf8Stream();
  let out = '';
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const chunk = bytes.subarray(at, at + sizes[i % sizes.length]!);
    out += stream.decode(chunk, withRanges ? classifier!.classify(chunk)!.wide : undefined);
    at += chunk.length;
  }
  return out + stream.end();
}

describe('Utf8Stream', () => {
  it('decodes exactly as a streaming TextDecoder, however the bytes are split (random bytes)', () => {
    const piece = fc.oneof(
      fc.string({ unit: 'grapheme-ascii', maxLength: 20 }).map((s) => Buffer.from(s)),
      fc.constantFrom('✓', 'é', '中文', '🚀', '\n', '\r\n', '\uFEFF', '\x1b[32m').map((s) => Buffer.from(s)),
      // Anything, invalid UTF-8 included: the replacement characters must come out the same.
      fc.uint8Array({ maxLength: 6 }).map((b) => Buffer.from(b)),
    );
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 40 }),
        fc.array(fc.integer({ min: 1, max: 70 }), { minLength: 1, maxLength: 5 }),
        (pieces, sizes) => {
          const bytes = Buffer.concat(pieces);
          const expected = new TextDecoder().decode(bytes);
          expect(decodeInChunks(bytes, sizes, true)).toBe(expected);
          expect(decodeInChunks(bytes, sizes, false)).toBe(expected);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('drops a byte-order mark only at the very start, as TextDecoder does', () => {
    const bom = Buffer.from('\uFEFF');
    for (const bytes of [
      Buffer.concat([bom, Buffer.from('a ✓\n')]),
      Buffer.concat([Buffer.from('ok\n'), bom, Buffer.from('a ✓\n')]),
      Buffer.concat([Buffer.from('✓\n'), bom, Buffer.from('b\n')]),
    ]) {
      const expected = new TextDecoder().decode(bytes);
      for (const sizes of [[1], [3], [4], [bytes.length]]) {
        expect(decodeInChunks(bytes, sizes, true), `${JSON.stringify(expected)} by ${sizes[0]}`).toBe(
          expected,
        );
      }
    }
  });

  it('starts a new stream after end(), as TextDecoder does (found in review)', () => {
    const stream = new Utf8Stream();
    const decoder = new TextDecoder();
    const both = (bytes: Buffer) => [
      stream.decode(bytes, classifier.classify(bytes)!.wide),
      decoder.decode(bytes, { stream: true }),
    ];
    for (const text of ['✓\n', 'a\n', '\uFEFFb✓\n']) {
      const [ours, theirs] = both(Buffer.from(text));
      expect(ours).toBe(theirs);
      if (text === '✓\n') expect(stream.end()).toBe(decoder.decode());
    }
    const [ours, theirs] = both(Buffer.from('\uFEFFafter\n'));
    expect(stream.end()).toBe(decoder.decode());
    expect(ours).toBe(theirs);
  });

  it('reads only the lines with other bytes through the decoder', () => {
    const { wide } = classifier.classify(Buffer.from('plain\n✓ one\n✓ two\nplain\n🚀'))!;
    expect([...wide]).toEqual([6, 22, 28, 32]);
  });
});

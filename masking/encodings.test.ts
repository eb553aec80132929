import { describe, expect, it } from 'vitest';
import { createMasker } from './masker.js';

const SECRET = 'Tr0ub4dor&3-horse/batt?ery';

/** Characters of a base64 string that encode only bytes in [from, to) of the input. */
function secretOnlyBase64(encoded: string, from: number, to: number): string {
  const first = Math.ceil((from * 4) / 3) + 1;
  const last = Math.floor((to * 4) / 3) - 1;
  return encoded.slice(first, last);
}

describe('known values are masked in their encoded forms', () => {
  const masker = createMasker({ packs: [], secrets: [SECRET] });

  it.each([0, 1, 2, 3, 4, 5])(
    'base64 at byte offset %i, with and without padding, and base64url',
    (offset) => {
      const before = Buffer.from('prefix-bytes'.slice(0, offset));
      for (const after of ['', 'x', 'xy', ' and some more data']) {
        const blob = Buffer.concat([before, Buffer.from(SECRET), Buffer.from(after)]);
        for (const encoded of [
          blob.toString('base64'),
          blob.toString('base64url'),
          blob.toString('base64').replace(/=+$/, ''),
        ]) {
          const out = masker.maskText(`data: ${encoded}\n`);
          expect(out).toContain('***');
          const secretPart = secretOnlyBase64(
            encoded,
            before.length,
            before.length + Buffer.byteLength(SECRET),
          );
          // No 6-character run of the part that only the secret determines may survive.
          for (let i = 0; i + 6 <= secretPart.length; i++)
            expect(out).not.toContain(secretPart.slice(i, i + 6));
        }
      }
    },
  );

  it('hex (either case), URL encoding, JSON escaping and shell quoting', () => {
    const hex = Buffer.from(SECRET).toString('hex');
    const forms = [
      hex,
      hex.toUpperCase(),
      encodeURIComponent(SECRET),
      encodeURIComponent(SECRET).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()),
      JSON.stringify(SECRET).slice(1, -1),
      `'${SECRET.replace(/'/g, `'\\''`)}'`,
      SECRET.replace(/[^A-Za-z0-9_\-.,:/@=+%^]/g, '\\$&'),
    ];
    for (const form of forms)
      expect(masker.maskText(`x ${form} y`), form).toBe(
        'x *** y'.replace('***', form.startsWith("'") ? "'***'" : '***'),
      );
  });

  it('JSON escaping of quotes, backslashes and non-ASCII', () => {
    const m = createMasker({ packs: [], secrets: ['pa"ss\\wörd/1'] });
    expect(m.maskText(JSON.stringify({ p: 'pa"ss\\wörd/1' }))).toBe('{"p":"***"}');
    expect(m.maskText('{"p":"pa\\"ss\\\\w\\u00f6rd\\/1"}')).toBe('{"p":"***"}');
  });

  it('each line of a multi-line secret, trimmed or not', () => {
    const m = createMasker({ packs: [], secrets: ['line-one-value\n  line-two-value  \nab'] });
    expect(m.maskText('a line-one-value b line-two-value c')).toBe('a *** b *** c');
    // Lines shorter than 4 characters would mask ordinary text everywhere, so they are not registered.
    expect(m.maskText('ab')).toBe('ab');
  });

  it('ignores values shorter than 4 characters and blank values', () => {
    const m = createMasker({ packs: [], secrets: ['abc', '    ', ''] });
    expect(m.maskText('abc    x')).toBe('abc    x');
  });
});

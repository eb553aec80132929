// True negatives: ordinary CI output must come out of the masker unchanged with every pack on.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createMasker } from '../masker.js';
import { falsePositiveRates } from './negatives.js';

const corpus = readFileSync(new URL('./fixtures/true-negatives.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '' && !line.startsWith('#'))
  .map((line) => line.replace(/\\x1b/g, '\x1b'));

describe('true negatives', () => {
  const masker = createMasker({ secrets: ['a-real-secret-value'] });

  it.each(corpus)('leaves %s unchanged', (line) => {
    expect(masker.maskText(line)).toBe(line);
  });

  it('leaves the whole corpus unchanged when streamed in odd chunks', () => {
    const text = `${corpus.join('\n')}\n`;
    const stream = masker.stream();
    let out = '';
    for (let at = 0; at < text.length; at += 7) out += stream.write(text.slice(at, at + 7)).record;
    out += stream.flush().record;
    expect(out).toBe(text);
  });

  it('keeps false positives rare on generated SHAs, UUIDs, versions, timestamps, numbers and base64', () => {
    const rates = falsePositiveRates((text) => masker.maskText(text), 2000);
    for (const [category, rate] of Object.entries(rates)) {
      // Random 16- and 11-digit numbers are the only shapes a card or CPF can really have; a random one
      // passes issuer + Luhn (or both CPF check digits) by chance, and that chance is the floor.
      const bound =
        category === 'random 16-digit number' ? 0.05 : category === 'random 11-digit number' ? 0.02 : 0;
      expect(rate, category).toBeLessThanOrEqual(bound);
    }
  });
});

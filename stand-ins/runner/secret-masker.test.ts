import { describe, expect, it } from 'vitest';
import { SecretMasker } from './secret-masker.js';

describe('SecretMasker', () => {
  it('masks every occurrence and merges overlapping secrets into one ***', () => {
    const masker = new SecretMasker();
    masker.add('abcdef');
    masker.add('defghi');
    expect(masker.mask('x abcdefghi y abcdef')).toBe('x *** y ***');
  });

  it('masks the JSON-escaped, URI-escaped and base64 forms like the runner', () => {
    const masker = new SecretMasker();
    masker.add('p@ss "word"/1');
    expect(masker.mask(JSON.stringify({ pw: 'p@ss "word"/1' }))).toBe('{"pw":"***"}');
    expect(masker.mask(`url?pw=${encodeURIComponent('p@ss "word"/1')}`)).toBe('url?pw=***');
    for (const prefix of ['', 'a', 'ab']) {
      const encoded = Buffer.from(`${prefix}p@ss "word"/1 and more`).toString('base64');
      expect(masker.mask(encoded)).toContain('***');
    }
  });

  it('ignores empty and whitespace-only values instead of masking everything', () => {
    const masker = new SecretMasker();
    masker.add('');
    masker.add('   ');
    expect(masker.size).toBe(0);
    expect(masker.mask('plain')).toBe('plain');
  });
});

import { describe, expect, it } from 'vitest';
import { GuardError } from '../lib/errors.js';
import { createMasker, DEFAULT_PACKS, type StreamMasker } from './masker.js';

const SECRET = 'hunter2-Sup3rSecret';

function feed(stream: StreamMasker, chunks: string[]): { runner: string; record: string } {
  let runner = '';
  let record = '';
  for (const chunk of chunks) {
    const out = stream.write(chunk);
    runner += out.runner;
    record += out.record;
  }
  const rest = stream.flush();
  return { runner: runner + rest.runner, record: record + rest.record };
}

describe('createMasker', () => {
  it('uses every pack by default and rejects unknown pack names with the valid ones', () => {
    expect(DEFAULT_PACKS).toEqual(['secrets', 'pii-common', 'pii-br', 'pii-us', 'pii-eu']);
    expect(() => createMasker({ packs: ['secrets', 'pii-xx'] })).toThrow(TypeError);
    expect(() => createMasker({ packs: ['pii-xx'] })).toThrow(/secrets, pii-common, pii-br, pii-us, pii-eu/);
  });

  it('applies custom rules from policy, masking the `value` group when there is one', () => {
    const masker = createMasker({
      packs: [],
      rules: [
        { name: 'employee-id', pattern: 'EMP-\\d{6}' },
        { name: 'order-pin', pattern: 'pin=(?<value>\\d+)', flags: 'i' },
      ],
    });
    expect(masker.maskText('EMP-123456 PIN=9876')).toBe('[MASKED:employee-id] PIN=[MASKED:order-pin]');
    expect(masker.counts()).toEqual({ 'employee-id': 1, 'order-pin': 1 });
  });

  it('steps past an empty match of a custom rule with the u or v flag by a whole character (found in review)', () => {
    // From the middle of a surrogate pair such a regex goes back to its start: this never returned.
    for (const flags of ['u', 'v', '']) {
      const masker = createMasker({ packs: [], rules: [{ name: 'x', pattern: 'x*', flags }] });
      expect(masker.maskText('🚀 ax 🚀'), flags).toBe('🚀 a[MASKED:x] 🚀');
    }
  });

  it('refuses a custom rule with a bad pattern or name as a policy error', () => {
    expect(() => createMasker({ rules: [{ name: 'bad', pattern: '(' }] })).toThrow(GuardError);
    expect(() => createMasker({ rules: [{ name: 'Bad Name', pattern: 'x' }] })).toThrow(/masking rule name/);
  });

  it('counts masked values by type and never keeps the values', () => {
    const masker = createMasker({ secrets: [SECRET] });
    masker.maskText(`${SECRET} a@example.com b@example.com`);
    masker.stream().write(`${SECRET}\n`);
    const counts = masker.counts();
    expect(counts).toEqual({ secret: 2, email: 2 });
    expect(JSON.stringify(counts)).not.toContain('example');
  });

  it('masks overlapping matches as one span', () => {
    const masker = createMasker({ secrets: ['john.doe@example.com'] });
    expect(masker.maskText('to john.doe@example.com!')).toBe('to ***!');
  });
});

describe('StreamMasker', () => {
  const text = `start ${SECRET} mail a.b@example.com card 4111 1111 1111 1111 end\nsecond ${SECRET}\n`;

  it('masks a value split at any offset between two writes', () => {
    const expected = createMasker({ secrets: [SECRET] }).maskText(text);
    expect(expected).not.toContain(SECRET);
    for (let cut = 0; cut <= text.length; cut++) {
      const out = feed(createMasker({ secrets: [SECRET] }).stream(), [text.slice(0, cut), text.slice(cut)]);
      expect(out.record, `cut at ${cut}`).toBe(expected);
    }
  });

  it('releases complete lines at once and holds a partial line', () => {
    const stream = createMasker({ secrets: [SECRET] }).stream();
    expect(stream.write('line one\nline tw')).toEqual({ runner: 'line one\n', record: 'line one\n' });
    expect(stream.pending()).toBe(true);
    expect(stream.write('o\r')).toEqual({ runner: 'line two\r', record: 'line two\r' });
    expect(stream.pending()).toBe(false);
  });

  it('releases a partial line early except a tail that could begin a secret', () => {
    const stream = createMasker({ secrets: [SECRET] }).stream();
    stream.write('waiting for hunter2-Sup');
    expect(stream.flushPartial()).toEqual({ runner: 'waiting for ', record: 'waiting for ' });
    expect(stream.write('3rSecret done')).toEqual({ runner: '', record: '' });
    expect(stream.flushPartial().record).toBe('*** done');
    expect(stream.pending()).toBe(false);
  });

  it('holds a command-line or quoted password that a pause splits', () => {
    const masker = createMasker();
    for (const [first, rest, shown, masked] of [
      [
        'docker login -u bot -p S3cr',
        'etPassw0rd ghcr.io\n',
        'docker login -u bot',
        ' -p [MASKED:cli-password] ghcr.io\n',
      ],
      ['DB_PASSWORD="correct hor', 'se battery"\n', 'DB_', 'PASSWORD="[MASKED:secret-assignment]"\n'],
    ] as const) {
      const stream = masker.stream();
      stream.write(first);
      expect(stream.flushPartial().record).toBe(shown);
      expect(stream.write(rest).record).toBe(masked);
    }
  });

  it('releases an ordinary partial line whole, and never half of a token or number', () => {
    const masker = createMasker();
    const s1 = masker.stream();
    s1.write('Compiling');
    expect(s1.flushPartial().record).toBe('Compiling');
    const s2 = masker.stream();
    s2.write('token ghp_aBcDeFgHiJkLmNo');
    expect(s2.flushPartial().record).toBe('token ');
    expect(s2.write('PqRsTuVwXyZ0123456789\n').record).toBe(
      'ghp_aBcDeFgHiJkLmNo'.length > 0 ? '[MASKED:github-token]\n' : '',
    );
    const s3 = masker.stream();
    s3.write('card 4111 1111 ');
    expect(s3.flushPartial().record).toBe('card ');
    expect(s3.write('1111 1111\n').record).toBe('[MASKED:card]\n');
    const s4 = masker.stream();
    s4.write('export DB_PASSWORD=');
    expect(s4.flushPartial().record).toBe('export DB_');
    expect(s4.write('P@ssw0rd-Xq9!\n').record).toBe('PASSWORD=[MASKED:secret-assignment]\n');
  });

  it('still masks the rest of a match whose start was released early', () => {
    const stream = createMasker().stream();
    stream.write('mail john.smith');
    expect(stream.flushPartial().record).toBe('mail john.smith');
    expect(stream.write('@example.com ok\n').record).toBe('[MASKED:email] ok\n');
    stream.write('iban DE');
    expect(stream.flushPartial().record).toBe('iban ');
  });

  it('masks a secret with ANSI colour codes inside it and keeps the codes', () => {
    const masker = createMasker({ packs: [], secrets: [SECRET] });
    for (let at = 1; at < SECRET.length; at++) {
      const coloured = `\x1b[1m${SECRET.slice(0, at)}\x1b[31m${SECRET.slice(at)}\x1b[0m ok`;
      expect(masker.maskText(coloured)).toBe('\x1b[1m***\x1b[31m\x1b[0m ok');
    }
  });

  it('holds back an escape sequence that is still being written', () => {
    const stream = createMasker({ packs: [], secrets: [SECRET] }).stream();
    stream.write('abc \x1b[3');
    expect(stream.flushPartial().record).toBe('abc ');
    stream.write(`1m${SECRET}\n`);
    expect(stream.flush().record).toBe('');
  });

  describe('::add-mask::', () => {
    it('registers the value for this and later writes, keeps the command for the runner only', () => {
      const masker = createMasker({ packs: [] });
      const stream = masker.stream();
      const out = feed(stream, [
        'before brand-new-secret\n::add-mask::brand-new-secret\nafter brand-new-secret\n',
      ]);
      expect(out.runner).toBe('before brand-new-secret\n::add-mask::brand-new-secret\nafter ***\n');
      expect(out.record).toBe('before brand-new-secret\n::add-mask::***\nafter ***\n');
      // Every stream of the masker, and one-shot masking, know it from now on.
      expect(masker.maskText('x brand-new-secret')).toBe('x ***');
      expect(masker.stream().write('brand-new-secret\n').record).toBe('***\n');
    });

    it('honours escaped data (%0A, %25), any case, leading blanks, and a command split across writes', () => {
      const masker = createMasker({ packs: [] });
      const out = feed(masker.stream(), [
        '  ::ADD-MASK::first-line%0Asecond-line%25x\n',
        '::add-m',
        'ask::split-value-1',
        '\nsplit-value-1 first-line second-line%x\n',
      ]);
      expect(out.record).toBe('  ::ADD-MASK::***\n::add-mask::***\n*** *** ***\n');
      expect(out.runner).toBe(
        '  ::ADD-MASK::first-line%0Asecond-line%25x\n::add-mask::split-value-1\n*** *** ***\n',
      );
    });

    it('never releases a partial add-mask line early', () => {
      const stream = createMasker({ packs: [] }).stream();
      stream.write('::add-mask::not-yet-complete');
      expect(stream.flushPartial()).toEqual({ runner: '', record: '' });
      expect(stream.flush()).toEqual({ runner: '::add-mask::not-yet-complete', record: '::add-mask::***' });
    });

    it('is not a command in the middle of a line, nor in maskText', () => {
      const masker = createMasker({ packs: [] });
      expect(masker.stream().write('echo ::add-mask::abcdefgh\n').record).toBe('echo ::add-mask::abcdefgh\n');
      expect(masker.maskText('::add-mask::abcdefgh\nabcdefgh')).toBe('::add-mask::abcdefgh\nabcdefgh');
    });
  });

  it('masks private key lines as they stream, line by line', () => {
    const stream = createMasker().stream();
    const out = feed(stream, [
      '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIB',
      'abc\nAwEHoUQDQgAE==\n-----END EC PRIVATE KEY-----\ndone\n',
    ]);
    expect(out.record).toBe(
      '[MASKED:private-key]\n[MASKED:private-key]\n[MASKED:private-key]\n[MASKED:private-key]\ndone\n',
    );
  });

  it('masks the body of a key block whose BEGIN a colour code splits, with END in a later write', () => {
    for (const begin of [
      '-----BE\x1b[1mGIN RSA PRIVATE KEY-----',
      '\x1b[31m-----\x1b[0mBEGIN RSA PRIVATE KEY-----',
    ]) {
      const out = feed(createMasker().stream(), [
        `${begin}\nMIIEpAIBAAKCAQEA0Z3VS5JJcds3\n`,
        'xfn==\n-----END RSA PRIVATE KEY-----\nok\n',
      ]);
      expect(out.record.replace(/\x1b\[[0-9;]*m/g, '')).toBe(
        '[MASKED:private-key]\n[MASKED:private-key]\n[MASKED:private-key]\n[MASKED:private-key]\nok\n',
      );
    }
  });

  it('flushes whatever is held at exit, masked', () => {
    const stream = createMasker({ secrets: [SECRET] }).stream();
    stream.write(`tail ${SECRET}`);
    expect(stream.flush().record).toBe('tail ***');
    expect(stream.pending()).toBe(false);
    expect(stream.flush()).toEqual({ runner: '', record: '' });
  });

  it('bounds what it holds: a huge line without newline is released in pieces', () => {
    const stream = createMasker({ secrets: [SECRET] }).stream();
    const out = stream.write(`${'x'.repeat(70_000)} ${SECRET}`);
    expect(out.record.length).toBeGreaterThan(60_000);
    expect(out.record).not.toContain('hunter');
    expect(out.record + stream.flush().record).toBe(`${'x'.repeat(70_000)} ***`);
  });
});

// Property: random secrets and personal data, at random places in realistic output, split into random
// chunks (with early partial-line releases between some of them), some coloured with ANSI codes inside,
// never come out of the stream unmasked: through write (text) and through writeUtf8 (raw bytes, split
// anywhere, even inside a character, classified by line before any regex runs).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMasker } from '../masker.js';
import { feedStream } from './feed-stream.js';
import { knownSecret, ruleValue } from './sensitive-values.js';

const WORDS = [
  'deploy',
  'ok',
  'npm',
  'install',
  'step',
  'done',
  'took',
  'ms',
  'v1.2.3',
  '2024-01-15',
  '12:00:01',
  '42',
  '(3/7)',
  'sha',
  '3f78a9',
  'PASS',
  'http://example.test/a',
  'Downloading',
  '->',
  '#12',
  '100%',
  'FAIL',
];
const SEPARATORS = [' ', ' ', ' ', '\n', ', ', ': ', '\t', ' (', ') ', '\r\n', '"', ' = '];
const COLOURS = ['\x1b[31m', '\x1b[1;32m', '\x1b[0m', '\x1b[38;5;208m', '\x1b[2K'];

const CSI = /\x1b\[[0-?]*[ -/]*[@-~]/g;

interface Item {
  text: string;
  sensitive?: string;
}

const filler = fc
  .array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 4 })
  .map((w): Item => ({ text: w.join(' ') }));

/** A value, maybe with a colour code inserted inside it or wrapped around it. */
const coloured = (value: string) =>
  fc
    .tuple(fc.constantFrom('none', 'inside', 'around'), fc.nat(value.length), fc.constantFrom(...COLOURS))
    .map(([how, at, code]): Item => {
      const position = Math.max(1, Math.min(value.length - 1, at));
      if (how === 'inside')
        return { text: value.slice(0, position) + code + value.slice(position), sensitive: value };
      if (how === 'around') return { text: `${code}${value}\x1b[0m`, sensitive: value };
      return { text: value, sensitive: value };
    });

const scenario = fc
  .tuple(fc.array(knownSecret, { minLength: 1, maxLength: 3 }), fc.boolean())
  .chain(([secrets, viaAddMask]) =>
    fc.record({
      secrets: fc.constant(secrets),
      viaAddMask: fc.constant(viaAddMask),
      items: fc.array(
        fc.oneof(
          { weight: 3, arbitrary: filler },
          { weight: 2, arbitrary: fc.constantFrom(...secrets).chain(coloured) },
          { weight: 3, arbitrary: ruleValue.chain(({ v }) => coloured(v)) },
        ),
        { minLength: 1, maxLength: 12 },
      ),
      separators: fc.array(fc.constantFrom(...SEPARATORS), { minLength: 12, maxLength: 12 }),
      earlyReleases: fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }),
    }),
  );

describe('streaming masker property', () => {
  it.each([
    ['text', 'write', 40],
    ['bytes', 'writeUtf8', 400],
  ] as const)(
    'never releases a placed secret or personal value, however the output is split (10,000 cases, %s)',
    (via, _method, maxChunk) => {
      fc.assert(
        fc.property(
          scenario,
          fc.array(fc.integer({ min: 1, max: maxChunk }), { minLength: 1, maxLength: 30 }),
          ({ secrets, viaAddMask, items, separators, earlyReleases }, chunkSizes) => {
            const masker = createMasker(viaAddMask ? {} : { secrets });
            const stream = masker.stream();
            // Escaped as @actions/core's setSecret does: the runner unescapes %25, %0D, %0A.
            const header = viaAddMask
              ? secrets
                  .map(
                    (s) =>
                      `::add-mask::${s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}\n`,
                  )
                  .join('')
              : '';
            const body = items
              .map((item, i) => item.text + (separators[i % separators.length] ?? ' '))
              .join('');
            const text = `${header}${body}\n`;
            const { record, runner } = feedStream(stream, text, {
              via,
              sizes: chunkSizes,
              releases: earlyReleases,
            });
            const plainRecord = record.replace(CSI, '');
            // The runner gets the add-mask commands verbatim (it needs them); everything after is masked.
            expect(runner.startsWith(header)).toBe(true);
            const plainRunnerBody = runner.slice(header.length).replace(CSI, '');
            for (const item of items) {
              if (item.sensitive === undefined) continue;
              expect(plainRecord).not.toContain(item.sensitive);
              expect(plainRunnerBody).not.toContain(item.sensitive);
            }
            for (const secret of secrets) {
              // Not even a long piece of a known secret gets out (its start is held back, never released).
              for (let i = 0; i + 10 <= secret.length; i++)
                expect(plainRecord).not.toContain(secret.slice(i, i + 10));
            }
          },
        ),
        { numRuns: 10_000 },
      );
      // About 10 s of CPU on a quiet machine; the timeout leaves room for a busy CI runner.
    },
    120_000,
  );
});

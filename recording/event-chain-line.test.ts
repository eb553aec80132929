import { expect, it } from 'vitest';
import fc from 'fast-check';
import { createEventChain, eventHash } from './event-chain.js';
import { canonicalJson } from './canonical-json.js';
// The line is built from one serialisation (the hot path); it must equal the canonical form with hash.
it('writes exactly the canonical JSON of the event with its hash, for any event', () => {
  fc.assert(
    fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.string({ minLength: 1 }), (extra, type) => {
      const e: Record<string, unknown> = { ...extra, type };
      for (const k of ['seq', 'ts', 'prev', 'hash']) delete e[k];
      const chain = createEventChain();
      const line = chain.append(e as never, 1700000000000).trimEnd();
      const parsed = JSON.parse(line) as Record<string, unknown>;
      expect(line).toBe(canonicalJson(parsed));
      expect(eventHash(parsed)).toBe(parsed.hash);
    }),
    { numRuns: 3000 },
  );
});

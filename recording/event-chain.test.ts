import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEventChain, verifyEventChain } from './event-chain.js';
import type { GuardEvent } from './event-chain.js';
import { canonicalJson } from './canonical-json.js';
import { sha256Hex } from './sha256.js';

const AT = Date.UTC(2025, 5, 1);

const eventArb: fc.Arbitrary<GuardEvent> = fc.record({
  type: fc.constantFrom('step.start', 'step.end', 'approval.decided', 'sql.statement', 'mask.counts'),
  step: fc.integer({ min: 1, max: 20 }),
  detail: fc.string(),
});

function write(events: GuardEvent[], previousHead?: string) {
  const chain = createEventChain(previousHead);
  const text = events.map((e, i) => chain.append(e, AT + i)).join('');
  return { text, head: chain.head(), count: chain.count() };
}

describe('event chain', () => {
  it('verifies whatever it wrote, and reports the same head and count', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 30 }), (events) => {
        const { text, head, count } = write(events);
        const verified = verifyEventChain(text, { head, count });
        expect(verified.problem).toBeUndefined();
        expect(verified.events.map((e) => e.type)).toEqual(events.map((e) => e.type));
      }),
    );
  });

  it('detects any single removed event and names it', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { minLength: 2, maxLength: 20 }), fc.nat(), (events, pick) => {
        const { text, head, count } = write(events);
        const lines = text.split('\n');
        const removed = pick % events.length;
        lines.splice(removed, 1);
        const problem = verifyEventChain(lines.join('\n'), { head, count }).problem;
        expect(problem).toBeDefined();
        if (removed === events.length - 1) {
          expect(problem!.message).toMatch(/the log has \d+ events but the manifest says \d+/);
        } else {
          expect(problem).toMatchObject({ line: removed + 1, seq: removed + 2 });
          expect(problem!.message).toBe(
            `chain broken: seq ${removed + 2} follows seq ${removed}: event ${removed + 1} is missing (removed)`,
          );
        }
      }),
    );
  });

  it('detects any two swapped events', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { minLength: 2, maxLength: 20 }), fc.nat(), (events, pick) => {
        const { text } = write(events);
        const lines = text.split('\n');
        const i = pick % (events.length - 1);
        [lines[i], lines[i + 1]] = [lines[i + 1]!, lines[i]!];
        expect(verifyEventChain(lines.join('\n')).problem).toEqual({
          line: i + 1,
          seq: i + 2,
          message: `chain broken: seq ${i + 2} follows seq ${i}; event ${i + 1} is at line ${i + 2} (events were reordered)`,
        });
      }),
    );
  });

  it('detects any changed byte', () => {
    fc.assert(
      fc.property(
        fc.array(eventArb, { minLength: 1, maxLength: 10 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (events, pick, flip) => {
          const { text, head, count } = write(events);
          const bytes = Buffer.from(text);
          const at = pick % bytes.length;
          bytes[at] = bytes[at]! ^ flip;
          const changed = bytes.toString('utf8');
          // A flip can only escape notice if it leaves the same text (an invalid byte decoding back the same).
          fc.pre(changed !== text);
          expect(verifyEventChain(changed, { head, count }).ok).toBe(false);
        },
      ),
    );
  });

  it('names an edited event precisely', () => {
    const { text } = write([
      { type: 'step.start', step: 1 },
      { type: 'approval.decided', reviewer: 'alice', decision: 'approved' },
      { type: 'step.end', step: 1 },
    ]);
    const edited = text.replace('"alice"', '"mallory"');
    expect(verifyEventChain(edited).problem).toEqual({
      line: 2,
      seq: 2,
      message: 'event 2 does not match its own hash (the line was edited)',
    });
  });

  it('names a forged event whose prev does not match the line before', () => {
    const first = write([{ type: 'step.start' }]);
    const other = write([{ type: 'step.start' }, { type: 'step.end' }], 'f'.repeat(64));
    const spliced = first.text + other.text.split('\n')[1]! + '\n';
    expect(verifyEventChain(spliced).problem).toEqual({
      line: 2,
      seq: 2,
      message:
        "chain broken: prev does not match line 1's hash (an event was removed, inserted or reordered)",
    });
  });

  it('continues a chain from a previous head and refuses reserved fields', () => {
    const a = write([{ type: 'x' }]);
    const chain = createEventChain(a.head, 1);
    const text = a.text + chain.append({ type: 'y' }, AT);
    expect(verifyEventChain(text, { head: chain.head(), count: 2 }).ok).toBe(true);
    expect(() => chain.append({ type: 'z', hash: 'no' }, AT)).toThrow(/'hash' is set by the chain/);
    expect(() => createEventChain('nope')).toThrow(TypeError);
  });

  // The line is built without canonicalJson on the common path; values it treats specially must come out
  // the same, and what it refuses must still be refused with its message.
  it('serialises nested toJSON, undefined and odd keys as canonicalJson does, and hashes the same', () => {
    const chain = createEventChain();
    const event = {
      type: 'sql.statement',
      when: new Date(AT),
      gone: undefined,
      fn: () => 1,
      list: [undefined, 1, 'two', { b: 2, a: [null] }],
      é: 'accent',
      '"quoted"': 'q',
      '10': 'ten',
      '9': 'nine',
      z: { y: undefined, x: { toJSON: () => ({ d: 1, c: 2 }) } },
    };
    const line = chain.append(event, AT).trimEnd();
    const parsed = JSON.parse(line) as Record<string, unknown>;
    expect(line).toBe(canonicalJson(parsed));
    const { hash, ...body } = parsed;
    expect(hash).toBe(sha256Hex(canonicalJson(body)));
    expect(line).toContain('"x":{"c":2,"d":1}');
  });

  it('takes the general path for an event with its own toJSON, and refuses what canonicalJson refuses', () => {
    const chain = createEventChain();
    const odd = { type: 'odd', a: 1, toJSON: () => ({ type: 'odd', replaced: true }) };
    const line = chain.append(odd, AT);
    expect(JSON.parse(line)).toEqual({ type: 'odd', replaced: true });
    expect(() => chain.append({ type: 'bad', n: { deep: NaN } }, AT)).toThrow(
      'canonicalJson: $.n.deep is NaN, not a finite number',
    );
    expect(() => chain.append({ type: 'bad', n: 1n }, AT)).toThrow(/\$\.n is a bigint/);
    // A refused event does not advance the chain.
    expect(chain.count()).toBe(1);
  });
});

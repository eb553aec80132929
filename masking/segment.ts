// Masks one piece of raw output (complete lines, or a partial line being released early): strips colour
// codes, finds spans on the plain text, and replaces them in the raw text with the codes kept.
import { AnsiMap, incompleteEscapeStart } from './ansi.js';
import type { MatchEngine } from './engine.js';
import { replacementFor, SpanList, type Span } from './spans.js';

export interface SegmentResult {
  /** Masked text that may be released. */
  readonly text: string;
  /** Raw text held back (only for a partial segment): it may be the start of a match. */
  readonly rest: string;
  /** A private key block starts in this segment and does not end in it. */
  readonly openBlock: boolean;
  /** Plain (unmasked) text of what was released, for the next segment's context. */
  readonly released: string;
}

export type Counts = Record<string, number>;

/**
 * Masks `segment` (raw text, or its AnsiMap). `context` is the plain text of the same line that was
 * already released early (by a partial-line release): rules see it, so a match that began there is still
 * found, but only the part of it in `raw` can still be masked.
 */
export function maskSegment(
  segment: string | AnsiMap,
  engine: MatchEngine,
  counts: Counts,
  partial: boolean,
  context = '',
): SegmentResult {
  // A caller that already removed the colour codes (to look at the plain text first) passes its map.
  const given = typeof segment === 'string' ? undefined : segment;
  const raw = given === undefined ? (segment as string) : given.raw;
  let body = raw;
  let heldEscape = '';
  if (partial) {
    const escape = incompleteEscapeStart(raw);
    if (escape !== -1) {
      body = raw.slice(0, escape);
      heldEscape = raw.slice(escape);
    }
  }
  const map = given !== undefined && body === raw ? given : new AnsiMap(body);
  const plain = map.plain;
  const shift = context.length;
  const list = new SpanList();
  engine.find(shift === 0 ? plain : context + plain, list);
  let spans = list.merged();
  if (shift !== 0) spans = unshift(spans, shift);

  let cut = plain.length;
  if (partial) {
    cut = Math.max(0, engine.holdStart(shift === 0 ? plain : context + plain) - shift);
    // Never cut through a match: hold the whole of it.
    for (let i = spans.length - 1; i >= 0; i--) {
      const span = spans[i]!;
      if (span.start < cut && span.end > cut) cut = span.start;
    }
  }
  const released = cut === plain.length ? plain : plain.slice(0, cut);
  if (spans.length === 0) {
    const rawCut = cut === plain.length ? body.length : map.rawIndex(cut);
    const text = rawCut === body.length ? body : body.slice(0, rawCut);
    return { text, rest: body.slice(rawCut) + heldEscape, openBlock: false, released };
  }

  let text = '';
  let position = 0;
  for (const span of spans) {
    if (span.end > cut) break;
    const from = map.rawIndex(span.start);
    const to = map.rawEndIndex(span.end);
    text += body.slice(position, from) + replacementFor(span.type) + map.codesWithin(from, to);
    position = to;
    counts[span.type] = (counts[span.type] ?? 0) + 1;
  }
  // Asked last: the map walks forward, and the cut is at or after every released span.
  const rawCut = cut === plain.length ? body.length : map.rawIndex(cut);
  text += body.slice(position, rawCut);
  return { text, rest: body.slice(rawCut) + heldEscape, openBlock: !partial && list.openBlock, released };
}

/** Spans found on context + plain, moved to plain coordinates; what lay wholly in the context is gone. */
function unshift(spans: Span[], shift: number): Span[] {
  const out: Span[] = [];
  for (const span of spans) {
    if (span.end <= shift) continue;
    out.push({ start: Math.max(0, span.start - shift), end: span.end - shift, type: span.type });
  }
  return out;
}

// Masks complete lines the line classifier has vetted (the fast path of StreamMasker.writeUtf8). Only
// lines with a family are looked at (the classifier took colour codes out before it judged a line, as the
// engine sees it): their codes are removed, each pass of the engine runs over the lines of its family
// joined, and spans come back by line. Lines without a family are released as they are, and when nothing
// is masked the output is the text itself, not a copy. Pure.
import { AnsiMap, codesWithin } from './ansi.js';
import type { MatchEngine } from './engine.js';
import type { SpanSink } from './rules/types.js';
import { ALL_FAMILIES, FAMILY } from './line-classifier/families.js';
import type { Counts } from './segment.js';
import { replacementFor, SpanList } from './spans.js';

export interface ClassifiedLines {
  /** Families of line i (line-classifier/families.ts). */
  readonly families: Uint8Array;
  /** Where line i starts in the text, checked by alignLineStarts. */
  readonly starts: Uint32Array;
}

/**
 * Moves the classifier's line starts onto `text` and checks them, in place. The kernel counts UTF-16
 * units as if its bytes were valid UTF-8 beginning with a whole character; a character split across
 * writes moves between texts (the decoder holds its first bytes) and invalid bytes decode to U+FFFD, so
 * its count can be off by a few units. The starts are moved by what puts line 1 right after the first
 * \n, then each must follow a \n: the text has exactly as many \n as the bytes, so if every start does,
 * each is right. False when one does not (the caller then masks the text without the classifier).
 */
export function alignLineStarts(starts: Uint32Array, text: string): boolean {
  if (starts.length < 2) return true;
  const shift = text.indexOf('\n') + 1 - starts[1]!;
  for (let i = 1; i < starts.length; i++) {
    const start = starts[i]! + shift;
    if (start < 1 || start > text.length || text.charCodeAt(start - 1) !== 10) return false;
    starts[i] = start;
  }
  return true;
}

/**
 * Masks `text.slice(from, to)`: whole lines (the last may end with \r), beginning with line `firstLine`
 * (so `from` is 0 or `lines.starts[firstLine]`). Undefined when the classifier's families cannot stand in
 * for searching the text whole (MatchEngine.findInLines says when): nothing was counted, and the caller
 * masks the text another way.
 */
export function maskClassifiedLines(
  text: string,
  from: number,
  to: number,
  lines: ClassifiedLines,
  firstLine: number,
  engine: MatchEngine,
  counts: Counts,
): string | undefined {
  const { families, starts } = lines;
  // The lines with a family: plain text, families, where the raw line starts, its colour codes if any.
  const texts: string[] = [];
  const lineFamilies: number[] = [];
  const rawStarts: number[] = [];
  const maps: (AnsiMap | undefined)[] = [];
  let coloured = false;
  for (let i = firstLine; i < families.length; i++) {
    const start = i === firstLine ? from : starts[i]!;
    if (start >= to) break;
    const family = families[i]!;
    coloured ||= (family & FAMILY.ansi) !== 0;
    if ((family & ALL_FAMILIES) === 0) continue;
    const end = i + 1 < starts.length ? Math.min(starts[i + 1]!, to) : to;
    const raw = text.slice(start, end);
    if ((family & FAMILY.ansi) !== 0) {
      const map = new AnsiMap(raw);
      maps.push(map);
      texts.push(map.plain);
    } else {
      maps.push(undefined);
      texts.push(raw);
    }
    lineFamilies.push(family);
    rawStarts.push(start);
  }
  // Spans in the raw text, in the order MatchEngine.find adds them: known values (over all of the text),
  // the rules' passes (over the flagged lines), a policy's custom rules (over all of the text: they may
  // match across lines).
  const spans = new SpanList();
  const whole = engine.secretForms > 0 || engine.customRules ? text.slice(from, to) : '';
  const map = whole !== '' && coloured ? new AnsiMap(whole) : undefined;
  const plain = map === undefined ? whole : map.plain;
  const inWhole: SpanSink = {
    add: (start, end, type) => {
      if (map === undefined) spans.add(from + start, from + end, type);
      else spans.add(from + map.rawIndex(start), from + map.rawEndIndex(end), type);
    },
    openBlock: false,
  };
  if (engine.secretForms > 0) engine.findKnown(plain, inWhole);
  const found = engine.findInLines(texts, lineFamilies, {
    add: (k, start, end, type) => {
      const lineMap = maps[k];
      const base = rawStarts[k]!;
      if (lineMap === undefined) spans.add(base + start, base + end, type);
      else spans.add(base + lineMap.rawIndex(start), base + lineMap.rawEndIndex(end), type);
    },
  });
  if (!found) return undefined;
  if (engine.customRules) engine.findCustom(plain, inWhole);

  const merged = spans.merged();
  if (merged.length === 0) return from === 0 && to === text.length ? text : text.slice(from, to);
  let out = '';
  let position = from;
  for (const span of merged) {
    // The codes inside a replaced span are kept, so the terminal's colour state holds.
    const codes = coloured ? codesWithin(text, span.start, span.end) : '';
    out += text.slice(position, span.start) + replacementFor(span.type) + codes;
    position = span.end;
    counts[span.type] = (counts[span.type] ?? 0) + 1;
  }
  return out + text.slice(position, to);
}

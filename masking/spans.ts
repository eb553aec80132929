// Collects the spans rules and known values propose and merges overlaps into the spans that are replaced.
import type { SpanSink } from './rules/types.js';

/** The type of a known value; replaced by `***` like the GitHub runner does. */
export const SECRET_TYPE = 'secret';

export interface Span {
  start: number;
  end: number;
  type: string;
}

export class SpanList implements SpanSink {
  readonly spans: Span[] = [];
  openBlock = false;

  add(start: number, end: number, type: string): void {
    if (end > start) this.spans.push({ start, end, type });
  }

  /**
   * Sorted, non-overlapping spans. Overlapping matches become one span; a known value anywhere inside
   * makes the whole span `***`, otherwise the earliest (then longest) match names it.
   */
  merged(): Span[] {
    const spans = this.spans;
    if (spans.length <= 1) return spans.slice();
    spans.sort((a, b) => a.start - b.start || b.end - a.end);
    const out: Span[] = [];
    let current = { ...spans[0]! };
    for (let i = 1; i < spans.length; i++) {
      const next = spans[i]!;
      if (next.start < current.end) {
        if (next.end > current.end) current.end = next.end;
        if (next.type === SECRET_TYPE) current.type = SECRET_TYPE;
      } else {
        out.push(current);
        current = { ...next };
      }
    }
    out.push(current);
    return out;
  }
}

export function replacementFor(type: string): string {
  return type === SECRET_TYPE ? '***' : `[MASKED:${type}]`;
}

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
   * Sorted, non-overlapping spans. Overlapping matches become one span, named by the most specific match:
   * a known value makes it `***`, a token shape beats a generic rule (`token: ghp_...` is a github-token),
   * and among equals the earliest, then longest, wins.
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
        if (rank(next.type) > rank(current.type)) current.type = next.type;
      } else {
        out.push(current);
        current = { ...next };
      }
    }
    out.push(current);
    return out;
  }
}

/** Generic rules that name a span only when nothing more specific matched it. */
const GENERIC_RANK: Readonly<Record<string, number>> = {
  'authorization-header': 0,
  'secret-assignment': 1,
  'bearer-token': 1,
};

function rank(type: string): number {
  if (type === SECRET_TYPE) return 3;
  return GENERIC_RANK[type] ?? 2;
}

export function replacementFor(type: string): string {
  return type === SECRET_TYPE ? '***' : `[MASKED:${type}]`;
}

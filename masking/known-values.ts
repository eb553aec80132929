// Finds every registered form of every known secret in one pass. A 4-character fingerprint is tested
// against a bitmap and only on a hit are candidates compared exactly. Because every form is at least
// `minLength` long, only every (minLength - 3)th position needs a fingerprint: one of them always falls in
// the first characters of any occurrence, so long secrets (the usual case) cost a fraction of a pass.
// Memory is fixed however many secrets there are, and adding one is incremental.

/** Bitmap size (bits, as a power of two): grows with the fingerprints, so a masker with few secrets is small. */
const MIN_BITS = 12;
const MAX_BITS = 22;
const GOLDEN = 0x9e3779b1 | 0;
const Q = 4;

interface Candidate {
  readonly text: string;
  /** Where in `text` the fingerprinted 4 characters sit. */
  readonly offset: number;
}

export class KnownValues {
  private readonly forms: string[] = [];
  private readonly seen = new Set<string>();
  private bits = MIN_BITS;
  private bitmap = new Int32Array(0);
  private grams = 0;
  private candidates = new Map<string, Candidate[]>();
  /** Forms by their first 4 characters, and every 1-3 character prefix, for partial-line holds. */
  private readonly byStart = new Map<string, string[]>();
  private readonly shortPrefixes = new Set<string>();
  private minLength = Infinity;
  private longest = 0;
  private stride = 1;

  /** Whether some form holds a line break. */
  multiline = false;

  get size(): number {
    return this.forms.length;
  }

  /** Adds forms of at least 4 characters each; returns how many were new. */
  add(forms: readonly string[]): number {
    let added = 0;
    let shortest = this.minLength;
    for (const form of forms) {
      if (form.length < Q) throw new TypeError('a known value form must be at least 4 characters');
      if (this.seen.has(form)) continue;
      this.seen.add(form);
      this.forms.push(form);
      if (form.includes('\n') || form.includes('\r')) this.multiline = true;
      added++;
      shortest = Math.min(shortest, form.length);
      this.longest = Math.max(this.longest, form.length);
      const start = form.slice(0, Q);
      const list = this.byStart.get(start);
      if (list === undefined) this.byStart.set(start, [form]);
      else list.push(form);
      for (let k = 1; k < Q; k++) this.shortPrefixes.add(form.slice(0, k));
    }
    if (added === 0) return 0;
    const wanted = Math.min(
      MAX_BITS,
      Math.max(MIN_BITS, Math.ceil(Math.log2((this.grams + added * this.stride + 1) * 64))),
    );
    if (shortest < this.minLength || wanted > this.bits || this.bitmap.length === 0) {
      // A shorter form needs a denser sampling, and more fingerprints a larger bitmap: re-index everything.
      this.minLength = Math.min(this.minLength, shortest);
      this.stride = this.minLength - Q + 1;
      this.bits = Math.max(this.bits, wanted);
      this.bitmap = new Int32Array(1 << (this.bits - 5));
      this.candidates = new Map();
      this.grams = 0;
      for (const known of this.forms) this.index(known);
    } else {
      for (const form of this.forms.slice(-added)) this.index(form);
    }
    return added;
  }

  private index(form: string): void {
    for (let offset = 0; offset < this.stride && offset + Q <= form.length; offset++) {
      const gram = form.slice(offset, offset + Q);
      const bit = fingerprint(gram, this.bits);
      this.grams++;
      this.bitmap[bit >>> 5]! |= 1 << (bit & 31);
      const list = this.candidates.get(gram);
      const candidate = { text: form, offset };
      if (list === undefined) this.candidates.set(gram, [candidate]);
      else list.push(candidate);
    }
  }

  /** Calls `found` for every occurrence of a known form (overlaps included). */
  scan(text: string, found: (start: number, end: number) => void): void {
    const n = text.length;
    if (this.forms.length === 0 || n < Q) return;
    const bitmap = this.bitmap;
    const stride = this.stride;
    const shift = 32 - this.bits;
    for (let i = 0; i + Q <= n; i += stride) {
      const h =
        ((text.charCodeAt(i) & 0xff) << 24) |
        ((text.charCodeAt(i + 1) & 0xff) << 16) |
        ((text.charCodeAt(i + 2) & 0xff) << 8) |
        (text.charCodeAt(i + 3) & 0xff);
      const bit = Math.imul(h, GOLDEN) >>> shift;
      if ((bitmap[bit >>> 5]! & (1 << (bit & 31))) !== 0) this.verify(text, i, found);
    }
  }

  private verify(text: string, at: number, found: (start: number, end: number) => void): void {
    const list = this.candidates.get(text.slice(at, at + Q));
    if (list === undefined) return;
    for (const { text: form, offset } of list) {
      const start = at - offset;
      if (start >= 0 && text.startsWith(form, start)) found(start, start + form.length);
    }
  }

  /**
   * The earliest index from which the end of `text` is the beginning of a known form, or text.length.
   * Text from there on must not be released yet: the rest of the secret may come in the next write.
   */
  prefixStart(text: string): number {
    const n = text.length;
    if (this.forms.length === 0) return n;
    for (let start = Math.max(0, n - this.longest + 1); start < n; start++) {
      const rest = n - start;
      if (rest < Q) {
        if (this.shortPrefixes.has(text.slice(start))) return start;
        continue;
      }
      const list = this.byStart.get(text.slice(start, start + Q));
      if (list === undefined) continue;
      const tail = text.slice(start);
      if (list.some((form) => form.length > rest && form.startsWith(tail))) return start;
    }
    return n;
  }
}

function fingerprint(gram: string, bits: number): number {
  const h =
    ((gram.charCodeAt(0) & 0xff) << 24) |
    ((gram.charCodeAt(1) & 0xff) << 16) |
    ((gram.charCodeAt(2) & 0xff) << 8) |
    (gram.charCodeAt(3) & 0xff);
  return Math.imul(h, GOLDEN) >>> (32 - bits);
}

// Builds the Teddy tables of the line classifier's kernel from literal anchors. Pure.
//
// Teddy (from Hyperscan; Rust's aho-corasick has one too) finds where any of many short literals may
// start, 16 bytes at a time. Each anchor is represented by a fingerprint: up to four of its bytes in a row,
// chosen where its characters are rarest in logs (a line that holds the anchor holds every piece of it).
// Fingerprints go into 16 buckets (two groups of 8 bits); for each of the four offsets there is one
// 16-byte mask indexed by a byte's low nibble and one by its high nibble, whose entries are the buckets
// with a fingerprint having that nibble there. A byte position may start a fingerprint of bucket b when
// bit b survives the AND of all eight lookups; a fingerprint shorter than four bytes matches any byte at
// the missing offsets. Fingerprints share their bucket's masks, so nibbles of different fingerprints can
// combine into a false candidate, never miss one; the kernel compares each candidate with the (at most 8)
// fingerprints of its buckets, and the buckets are filled greedily to keep false candidates few.

export interface TeddyAnchor {
  /** ASCII text, at least two characters. */
  readonly text: string;
  /** Family bits for a line where it may occur. */
  readonly family: number;
}

/** The layout assembly/kernel.ts reads. */
export const TEDDY_TABLE_BYTES = 1456;
const PRINTS = 256;
const PRINT_FAMILY = 1280;
const PRINT_COUNT = 1408;
const GROUPS = 2;
const BUCKETS = 8 * GROUPS;
const PER_BUCKET = 8;
const OFFSETS = 4;
/** More distinct fingerprints than the buckets hold: the classifier is not used for such rules. */
export const MAX_FINGERPRINTS = BUCKETS * PER_BUCKET;

/**
 * How common a character is in CI output, roughly (higher is more common): spaces and lower-case letters
 * by English frequency, then digits and the punctuation of paths, versions and timestamps, then capitals.
 * Only used to pick which part of an anchor to look for.
 */
function commonness(c: number): number {
  if (c === 32) return 100;
  const ch = String.fromCharCode(c);
  const lower = 'etaoinsrhldcumfpgwybvkxjqz';
  const at = lower.indexOf(ch);
  if (at !== -1) return 95 - at * 2;
  if (c >= 48 && c <= 57) return 70;
  if ('./-:'.includes(ch)) return 75;
  if ('_,()"\'='.includes(ch)) return 45;
  const upper = 'ETAOINSRHLDCUMFPGWYBVKXJQZ';
  const up = upper.indexOf(ch);
  if (up !== -1) return 40 - up;
  return 20;
}

/** The window of up to four characters of `text` with the rarest characters. */
export function fingerprint(text: string): string {
  if (text.length <= OFFSETS) return text;
  let best = 0;
  let bestScore = Infinity;
  for (let i = 0; i + OFFSETS <= text.length; i++) {
    let score = 0;
    for (let k = 0; k < OFFSETS; k++) score += commonness(text.charCodeAt(i + k)) ** 2;
    if (score < bestScore) {
      bestScore = score;
      best = i;
    }
  }
  return text.slice(best, best + OFFSETS);
}

interface Bucket {
  /** Per offset: the low and high nibbles present, as 16-bit sets. */
  lo: number[];
  hi: number[];
  prints: { text: string; family: number }[];
}

function bitCount(x: number): number {
  let n = 0;
  for (let v = x; v !== 0; v &= v - 1) n++;
  return n;
}

/** The share of random byte runs a bucket accepts; what a fingerprint adds to it is its cost there. */
function acceptance(lo: readonly number[], hi: readonly number[]): number {
  let p = 1;
  for (let k = 0; k < OFFSETS; k++) p *= (bitCount(lo[k]!) * bitCount(hi[k]!)) / 256;
  return p;
}

function withFingerprint(bucket: Bucket, bytes: readonly number[]): { lo: number[]; hi: number[] } {
  const lo = [...bucket.lo];
  const hi = [...bucket.hi];
  for (let k = 0; k < OFFSETS; k++) {
    const byte = bytes[k];
    lo[k] = byte === undefined ? 0xffff : lo[k]! | (1 << (byte & 15));
    hi[k] = byte === undefined ? 0xffff : hi[k]! | (1 << (byte >> 4));
  }
  return { lo, hi };
}

/** The tables for these anchors, or null when they have more distinct fingerprints than fit. */
export function buildTeddyTables(anchors: readonly TeddyAnchor[]): Uint8Array | null {
  const fingerprints = new Map<string, number>();
  for (const anchor of anchors) {
    if (anchor.text.length < 2) {
      throw new Error(`teddy: anchor ${JSON.stringify(anchor.text)} is shorter than two characters`);
    }
    if (/[^\t\x20-\x7e]/.test(anchor.text)) {
      throw new Error(`teddy: anchor ${JSON.stringify(anchor.text)} is not printable ASCII`);
    }
    const print = fingerprint(anchor.text);
    fingerprints.set(print, (fingerprints.get(print) ?? 0) | anchor.family);
  }
  if (fingerprints.size > MAX_FINGERPRINTS) return null;
  const buckets: Bucket[] = Array.from({ length: BUCKETS }, () => ({
    lo: [0, 0, 0, 0],
    hi: [0, 0, 0, 0],
    prints: [],
  }));
  // Longest (most selective) first, so the short ones, with wildcards, join last.
  const sorted = [...fingerprints].sort((a, b) => b[0].length - a[0].length || (a[0] < b[0] ? -1 : 1));
  for (const [text, family] of sorted) {
    const bytes = [...text].map((c) => c.charCodeAt(0));
    let best = buckets[0]!;
    let bestCost = Infinity;
    for (const bucket of buckets) {
      if (bucket.prints.length === PER_BUCKET) continue;
      const next = withFingerprint(bucket, bytes);
      const used = bucket.prints.length > 0;
      const cost = acceptance(next.lo, next.hi) - (used ? acceptance(bucket.lo, bucket.hi) : 0);
      if (cost < bestCost) {
        bestCost = cost;
        best = bucket;
      }
    }
    Object.assign(best, withFingerprint(best, bytes));
    best.prints.push({ text, family });
  }

  const tables = new Uint8Array(TEDDY_TABLE_BYTES);
  const view = new DataView(tables.buffer);
  buckets.forEach((bucket, index) => {
    const group = index >> 3;
    const bit = 1 << (index & 7);
    for (let k = 0; k < OFFSETS && bucket.prints.length > 0; k++) {
      for (let nibble = 0; nibble < 16; nibble++) {
        const lo = group * 128 + k * 32 + nibble;
        if (bucket.lo[k]! & (1 << nibble)) tables[lo] = tables[lo]! | bit;
        if (bucket.hi[k]! & (1 << nibble)) tables[lo + 16] = tables[lo + 16]! | bit;
      }
    }
    tables[PRINT_COUNT + index] = bucket.prints.length;
    bucket.prints.forEach(({ text, family }, e) => {
      let value = 0;
      let mask = 0;
      for (let k = 0; k < text.length; k++) {
        value |= text.charCodeAt(k) << (8 * k);
        mask |= 0xff << (8 * k);
      }
      view.setUint32(PRINTS + (index * PER_BUCKET + e) * 8, value >>> 0, true);
      view.setUint32(PRINTS + (index * PER_BUCKET + e) * 8 + 4, mask >>> 0, true);
      tables[PRINT_FAMILY + index * PER_BUCKET + e] = family;
    });
  });
  return tables;
}

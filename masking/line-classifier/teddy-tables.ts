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
  /**
   * The family counts only on a line that also has an `@` (whatever its rule matches holds one after the
   * anchor: `scheme://user:password@host`), so the many URLs without credentials in a log cost nothing.
   */
  readonly onlyWithAt?: boolean;
}

/** In the tables' family of a fingerprint: the family counts only on a line with an `@` (see onlyWithAt). */
export const ONLY_WITH_AT = 0x80;

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
  prints: { text: string; family: number }[];
  /** acceptance() of its nibble sets. */
  cost: number;
}

/**
 * How often each byte value comes up in CI output, as weights summing to 1 (from `commonness`, squared so
 * spaces and vowels dominate as they do in text; other bytes rarely).
 */
const BYTE_WEIGHT = ((): Float64Array => {
  const weight = new Float64Array(256);
  let total = 0;
  for (let c = 0; c < 256; c++) {
    weight[c] = c === 9 || (c >= 32 && c < 127) ? commonness(c) ** 2 : 4;
    total += weight[c]!;
  }
  for (let c = 0; c < 256; c++) weight[c] = weight[c]! / total;
  return weight;
})();

/**
 * The share of positions in CI output a bucket accepts, bytes taken as independent with BYTE_WEIGHT; what
 * a fingerprint adds to it is its cost there. (Counting nibble combinations as equally likely instead put
 * `npm` and `-p` in broad buckets and made 3x the false candidates on bench/masking-log.ts.)
 */
function acceptance(lo: readonly number[], hi: readonly number[]): number {
  let p = 1;
  for (let k = 0; k < OFFSETS; k++) {
    let q = 0;
    for (let high = hi[k]!; high !== 0; high &= high - 1) {
      const row = 31 - Math.clz32(high & -high);
      for (let low = lo[k]!; low !== 0; low &= low - 1)
        q += BYTE_WEIGHT[row * 16 + 31 - Math.clz32(low & -low)]!;
    }
    p *= q;
  }
  return p;
}

/** A bucket's nibble sets with `prints` in it: a missing byte (a short fingerprint) accepts any nibble. */
function nibbleSets(prints: readonly { text: string }[]): { lo: number[]; hi: number[] } {
  const lo = [0, 0, 0, 0];
  const hi = [0, 0, 0, 0];
  for (const { text } of prints) {
    for (let k = 0; k < OFFSETS; k++) {
      const byte = k < text.length ? text.charCodeAt(k) : undefined;
      lo[k] = byte === undefined ? 0xffff : lo[k]! | (1 << (byte & 15));
      hi[k] = byte === undefined ? 0xffff : hi[k]! | (1 << (byte >> 4));
    }
  }
  return { lo, hi };
}

function bucketCost(prints: readonly { text: string }[]): number {
  if (prints.length === 0) return 0;
  const { lo, hi } = nibbleSets(prints);
  return acceptance(lo, hi);
}

/**
 * Puts fingerprints into buckets so that the buckets together accept as few positions as they can: each
 * goes where it adds least, shortest first (a fingerprint shorter than four bytes accepts anything at the
 * missing offsets, so it widens whatever bucket it joins; placed first, it gets an empty one); then each is
 * moved while a move lowers the total, as the first placements were made before the rest were known.
 */
function fillBuckets(fingerprints: Iterable<{ text: string; family: number }>): Bucket[] {
  const buckets: Bucket[] = Array.from({ length: BUCKETS }, () => ({ prints: [], cost: 0 }));
  const sorted = [...fingerprints].sort(
    (a, b) =>
      a.text.length - b.text.length || (a.text < b.text ? -1 : a.text > b.text ? 1 : a.family - b.family),
  );
  const cheapest = (print: { text: string; family: number }, except?: Bucket) => {
    let best: Bucket | undefined;
    let bestAdded = Infinity;
    for (const bucket of buckets) {
      if (bucket === except || bucket.prints.length === PER_BUCKET) continue;
      const added = bucketCost([...bucket.prints, print]) - bucket.cost;
      if (added < bestAdded) {
        bestAdded = added;
        best = bucket;
      }
    }
    return { bucket: best!, added: bestAdded };
  };
  for (const print of sorted) {
    const { bucket } = cheapest(print);
    bucket.prints.push(print);
    bucket.cost = bucketCost(bucket.prints);
  }
  for (let round = 0; round < 8; round++) {
    let moved = false;
    for (const from of buckets) {
      for (const print of [...from.prints]) {
        const rest = from.prints.filter((other) => other !== print);
        const saved = from.cost - bucketCost(rest);
        const to = cheapest(print, from);
        if (to.added >= saved * 0.999) continue;
        from.prints = rest;
        from.cost = bucketCost(rest);
        to.bucket.prints.push(print);
        to.bucket.cost = bucketCost(to.bucket.prints);
        moved = true;
      }
    }
    if (!moved) break;
  }
  return buckets;
}

/** The tables for these anchors, or null when they have more distinct fingerprints than fit. */
export function buildTeddyTables(anchors: readonly TeddyAnchor[]): Uint8Array | null {
  // By fingerprint and condition: one that counts only with an `@` is an entry of its own.
  const fingerprints = new Map<string, { text: string; family: number }>();
  for (const anchor of anchors) {
    if (anchor.text.length < 2) {
      throw new Error(`teddy: anchor ${JSON.stringify(anchor.text)} is shorter than two characters`);
    }
    if (/[^\t\x20-\x7e]/.test(anchor.text)) {
      throw new Error(`teddy: anchor ${JSON.stringify(anchor.text)} is not printable ASCII`);
    }
    if ((anchor.family & ONLY_WITH_AT) !== 0)
      throw new Error(`teddy: family ${anchor.family} is out of range`);
    const text = fingerprint(anchor.text);
    const condition = anchor.onlyWithAt === true ? ONLY_WITH_AT : 0;
    const key = `${condition}:${text}`;
    const family = (fingerprints.get(key)?.family ?? condition) | anchor.family;
    fingerprints.set(key, { text, family });
  }
  if (fingerprints.size > MAX_FINGERPRINTS) return null;
  const buckets = fillBuckets(fingerprints.values());

  const tables = new Uint8Array(TEDDY_TABLE_BYTES);
  const view = new DataView(tables.buffer);
  buckets.forEach((bucket, index) => {
    const group = index >> 3;
    const bit = 1 << (index & 7);
    const sets = nibbleSets(bucket.prints);
    for (let k = 0; k < OFFSETS && bucket.prints.length > 0; k++) {
      for (let nibble = 0; nibble < 16; nibble++) {
        const lo = group * 128 + k * 32 + nibble;
        if (sets.lo[k]! & (1 << nibble)) tables[lo] = tables[lo]! | bit;
        if (sets.hi[k]! & (1 << nibble)) tables[lo + 16] = tables[lo + 16]! | bit;
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

// The line classifier's kernel, in AssemblyScript, compiled to WebAssembly with SIMD by
// scripts/build-wasm.mjs (the bytes are committed in ../kernel-wasm.ts). For each line of a UTF-8 buffer
// it sets the families of masking rules that could match in that line, 16 bytes an instruction:
//
// - literal anchors (token prefixes, secret keywords, `://`, `--password`...) by Teddy: each anchor is
//   represented by up to four of its bytes in a row (its fingerprint); each byte's two nibbles index
//   16-byte masks for each of the four offsets, ANDed together; a lane's result bits are the buckets of
//   fingerprints that may start there (two groups of 8). Every byte of every fingerprint sets its
//   bucket's bits, so no fingerprint is missed; nibbles of different fingerprints of one bucket can
//   combine into a false candidate, so each candidate is then compared with its buckets' fingerprints.
// - numbers: a digit after a non-word byte, eight bytes of [0-9 ./()-] from there, and then, through more
//   of them, a non-word byte: the engine's NUMERIC_ISLAND (`\b\d{3}[\d ./()-]{5,}(?!\w)`) cannot match
//   without all three;
// - IBAN: two capitals and two digits after a non-word byte (IBAN_CANDIDATE's start);
// - `@` (e-mail) and ESC: the engine sees the text without its colour codes (CSI sequences), so a line
//   with an escape is listed, and once the buffer is done each listed line is copied without its codes
//   and classified again; its byte is then that result plus ANSI, which tells the masker to take the
//   codes out before the passes. An escape that is not a colour code stays and sets every family.
// - where each line starts in the UTF-16 text the bytes decode to, so the masker can go straight to the
//   lines it needs.
//
// Family bits must equal FAMILY in ../families.ts. Tables are written by the JavaScript side
// (../teddy-tables.ts), at `tables`:
//   0..127      group A masks: lo0, hi0, lo1, hi1, lo2, hi2, lo3, hi3 (16 bytes each)
//   128..255    group B masks, the same
//   256..1279   fingerprints, 8 per bucket: value and mask as little-endian u32 (mask 0 where shorter)
//   1280..1407  the family of each fingerprint
//   1408..1423  how many fingerprints each bucket has
//   1424..1455  scratch: the Teddy results of one block
//   1456        written here: the union of every line's families
//   1460        written here: how many ranges of lines with non-ASCII bytes classify() listed (u32)

const EMAIL: u32 = 8;
const NUMBERS: u32 = 16;
const IBAN: u32 = 32;
/** Every rule family: the engine strips colour codes before matching, so behind ESC anything may hide. */
const ALL_RULES: u32 = 0x3f;
/** Marks the line for classifying again once its codes are removed. */
const ANSI: u32 = 0x80;
/** In a fingerprint's family (the tables'): it counts only on a line with an `@` (ONLY_WITH_AT there). */
const ONLY_WITH_AT: u32 = 0x80;

/** One offset of Teddy: the bucket bits of both nibbles of each byte, ANDed. */
// @ts-ignore: decorator
@inline
function nibbles(low: v128, high: v128, table: usize, offset: usize): v128 {
  return v128.and(i8x16.swizzle(v128.load(table + offset), low), i8x16.swizzle(v128.load(table + offset + 16), high));
}

/** Bucket bits per lane of one group of 8 buckets, for the four offsets' nibbles. */
// @ts-ignore: decorator
@inline
function teddy(l0: v128, h0: v128, l1: v128, h1: v128, l2: v128, h2: v128, l3: v128, h3: v128, table: usize): v128 {
  return v128.and(
    v128.and(nibbles(l0, h0, table, 0), nibbles(l1, h1, table, 32)),
    v128.and(nibbles(l2, h2, table, 64), nibbles(l3, h3, table, 96)),
  );
}

// @ts-ignore: decorator
@inline
function inRange(v: v128, from: i8, to: i8): v128 {
  return v128.and(i8x16.ge_u(v, i8x16.splat(from)), i8x16.le_u(v, i8x16.splat(to)));
}

// @ts-ignore: decorator
@inline
function digits(v: v128): u32 {
  return <u32>i8x16.bitmask(inRange(v, 48, 57));
}

// @ts-ignore: decorator
@inline
function capitals(v: v128): u32 {
  return <u32>i8x16.bitmask(inRange(v, 65, 90));
}

/** [A-Za-z0-9_], given the digit and capital masks of the same block. */
// @ts-ignore: decorator
@inline
function wordChars(v: v128, digit: u32, upper: u32): u32 {
  return digit | upper | <u32>i8x16.bitmask(v128.or(inRange(v, 97, 122), i8x16.eq(v, i8x16.splat(95))));
}

/** [0-9 ./()-], given the digit mask of the same block. */
// @ts-ignore: decorator
@inline
function islandChars(v: v128, digit: u32): u32 {
  const separators = v128.or(
    v128.or(i8x16.eq(v, i8x16.splat(32)), inRange(v, 45, 47)),
    inRange(v, 40, 41),
  );
  return digit | <u32>i8x16.bitmask(separators);
}

/** The union of the families scan() found, how many lines with an escape and with non-ASCII it listed. */
let scanUnion: u32 = 0;
let colouredCount: u32 = 0;
let wideCount: u32 = 0;

/**
 * Classifies `len` bytes at `input`, which must be followed by at least 48 zero bytes. Writes one byte of
 * family bits per line to `flags` (lines end with \n; the last, possibly empty, line is what follows the
 * last \n) and returns the number of \n. With `starts`, writes there as u32 where each line starts in the
 * UTF-16 text the bytes decode to (as valid UTF-8: a byte that is not a continuation byte starts a
 * character, one of 0xF0-0xFF a surrogate pair; the caller checks the result against the text, as
 * invalid bytes decode otherwise). With `coloured`, lists there each line with an escape byte: its index
 * and where it starts (u32 each). With `wide`, lists there where each line with a byte over 0x7f starts
 * (u32, two apart: classify() adds where it ends). `pending` is room for a u32 a line: families that count
 * only on a line with an `@`, settled once the whole buffer is seen.
 */
function scan(
  input: usize,
  len: i32,
  flags: usize,
  tables: usize,
  starts: usize,
  coloured: usize,
  wide: usize,
  pending: usize,
): u32 {
  memory.fill(flags, 0, <usize>len + 1);
  const groupA = tables;
  const groupB = tables + 128;
  const prints = tables + 256;
  const printFamily = tables + 1280;
  const printCount = tables + 1408;
  const scratch = tables + 1424;
  const nibble = i8x16.splat(0x0f);

  let line: u32 = 0;
  let union: u32 = 0;
  // UTF-16 units before the current block.
  let units: u32 = 0;
  if (starts !== 0) store<u32>(starts, 0);
  // Where the current line starts (at the start of the block), in bytes; the last line listed.
  let lineStart: i32 = 0;
  let listed: u32 = 0;
  let listedWide: u32 = 0;
  let pendingCount: u32 = 0;
  colouredCount = 0;
  wideCount = 0;
  // 1 when the byte before the current block is not a word character (so at the start of the buffer).
  let prevNonWord: u32 = 1;
  // Class masks of the current block; each round computes the next block's, which matches starting near
  // the end of this block run into.
  let v = v128.load(input);
  let digit = digits(v);
  let upper = capitals(v);
  let word = wordChars(v, digit, upper);
  let island = islandChars(v, digit);

  for (let at: i32 = 0; at < len; at += 16) {
    const p = input + <usize>at;
    const w = v128.load(p, 16);
    const nDigit = digits(w);
    const nUpper = capitals(w);
    const nWord = wordChars(w, nDigit, nUpper);
    const nIsland = islandChars(w, nDigit);

    const newlines = <u32>i8x16.bitmask(i8x16.eq(v, i8x16.splat(10)));
    const start = ((~word << 1) | prevNonWord) & 0xffff;

    // Numbers. Bit i of these 32-bit masks is byte at + i.
    let run = island | (nIsland << 16);
    run &= run >> 1;
    run &= run >> 2;
    run &= run >> 4;
    // ends: from here, through digits, a non-word byte comes (separators are non-word themselves). Byte 31
    // is taken to end well: what follows it is not looked at, and a wrong yes only costs a pass.
    let d = digit | (nDigit << 16);
    let ends = ~(word | (nWord << 16)) | 0x80000000;
    ends |= d & (ends >> 1);
    d &= d >> 1;
    ends |= d & (ends >> 2);
    d &= d >> 2;
    ends |= d & (ends >> 4);
    d &= d >> 4;
    ends |= d & (ends >> 8);
    d &= d >> 8;
    ends |= d & (ends >> 16);
    const numbers = digit & start & run & (ends >> 8);

    const up = upper | (nUpper << 16);
    const dg = digit | (nDigit << 16);
    const iban = up & (up >> 1) & (dg >> 2) & (dg >> 3) & start;
    const email = <u32>i8x16.bitmask(i8x16.eq(v, i8x16.splat(64)));
    const escape = <u32>i8x16.bitmask(i8x16.eq(v, i8x16.splat(27)));

    const c1 = v128.load(p, 1);
    const c2 = v128.load(p, 2);
    const c3 = v128.load(p, 3);
    const l0 = v128.and(v, nibble);
    const h0 = i8x16.shr_u(v, 4);
    const l1 = v128.and(c1, nibble);
    const h1 = i8x16.shr_u(c1, 4);
    const l2 = v128.and(c2, nibble);
    const h2 = i8x16.shr_u(c2, 4);
    const l3 = v128.and(c3, nibble);
    const h3 = i8x16.shr_u(c3, 4);
    const ta = teddy(l0, h0, l1, h1, l2, h2, l3, h3, groupA);
    const tb = teddy(l0, h0, l1, h1, l2, h2, l3, h3, groupB);
    const literal = <u32>i8x16.bitmask(i8x16.ne(v128.or(ta, tb), i8x16.splat(0)));

    let hits = (numbers | iban | email | escape | literal) & 0xffff;
    if (hits !== 0) {
      if (literal !== 0) {
        v128.store(scratch, ta);
        v128.store(scratch, tb, 16);
      }
      do {
        const j = ctz(hits);
        const bit: u32 = 1 << j;
        let family: u32 = 0;
        if (numbers & bit) family |= NUMBERS;
        if (iban & bit) family |= IBAN;
        if (email & bit) family |= EMAIL;
        if (escape & bit) {
          family |= ALL_RULES | ANSI;
          const own = line + popcnt(newlines & (bit - 1));
          if (coloured !== 0 && (colouredCount === 0 || listed !== own)) {
            const before = newlines & (bit - 1);
            const entry = coloured + (<usize>colouredCount << 3);
            store<u32>(entry, own);
            store<u32>(entry, before !== 0 ? at + 32 - <i32>clz(before) : lineStart, 4);
            colouredCount++;
            listed = own;
          }
        }
        if (literal & bit) {
          const bytes = load<u32>(p + <usize>j);
          let buckets = <u32>load<u8>(scratch + <usize>j) | (<u32>load<u8>(scratch + 16 + <usize>j) << 8);
          let withAt: u32 = 0;
          do {
            const b = ctz(buckets);
            const count = <u32>load<u8>(printCount + <usize>b);
            for (let e: u32 = 0; e < count; e++) {
              const entry = prints + <usize>((b * 8 + e) * 8);
              if ((bytes & load<u32>(entry, 4)) === load<u32>(entry)) {
                const found = <u32>load<u8>(printFamily + <usize>(b * 8 + e));
                if (found & ONLY_WITH_AT) withAt |= found & ~ONLY_WITH_AT;
                else family |= found;
              }
            }
            buckets &= buckets - 1;
          } while (buckets !== 0);
          if (withAt !== 0) {
            // Whether the line has an `@` is known once it ends: noted with its index (u32: line << 8).
            const own = line + popcnt(newlines & (bit - 1));
            const last = pending + (<usize>(pendingCount - 1) << 2);
            if (pendingCount > 0 && load<u32>(last) >> 8 === own) store<u32>(last, load<u32>(last) | withAt);
            else {
              store<u32>(pending + (<usize>pendingCount << 2), (own << 8) | withAt);
              pendingCount++;
            }
          }
        }
        if (family !== 0) {
          union |= family;
          const where = flags + <usize>(line + popcnt(newlines & (bit - 1)));
          store<u8>(where, load<u8>(where) | <u8>family);
        }
        hits &= hits - 1;
      } while (hits !== 0);
    }
    // Line starts, in UTF-16 units: after an ASCII block's \n simply its byte offset + 1.
    const high = <u32>i8x16.bitmask(v);
    let blockUnits: u32 = 16;
    let starters: u32 = 0xffff;
    let pairs: u32 = 0;
    if (high !== 0) {
      starters = <u32>i8x16.bitmask(i8x16.gt_s(v, i8x16.splat(-65)));
      pairs = <u32>i8x16.bitmask(i8x16.gt_s(v, i8x16.splat(-17))) & high;
      blockUnits = popcnt(starters) + popcnt(pairs);
      for (let rest = high; wide !== 0 && rest !== 0; rest &= rest - 1) {
        const before = newlines & ((<u32>1 << ctz(rest)) - 1);
        const own = line + popcnt(before);
        if (wideCount === 0 || listedWide !== own) {
          store<u32>(wide + (<usize>wideCount << 3), before !== 0 ? at + 32 - <i32>clz(before) : lineStart);
          wideCount++;
          listedWide = own;
        }
      }
    }
    for (let rest = newlines; rest !== 0; rest &= rest - 1) {
      const j = ctz(rest);
      const through = (<u32>2 << j) - 1;
      line++;
      lineStart = at + <i32>j + 1;
      if (starts !== 0) {
        store<u32>(starts + (<usize>line << 2), units + popcnt(starters & through) + popcnt(pairs & through));
      }
    }
    units += blockUnits;
    prevNonWord = (~word >> 15) & 1;
    v = w;
    digit = nDigit;
    upper = nUpper;
    word = nWord;
    island = nIsland;
  }
  for (let k: u32 = 0; k < pendingCount; k++) {
    const entry = load<u32>(pending + (<usize>k << 2));
    const where = flags + <usize>(entry >> 8);
    if ((<u32>load<u8>(where) & EMAIL) === 0) continue;
    store<u8>(where, load<u8>(where) | <u8>entry);
    union |= entry & 0xff;
  }
  scanUnion = union;
  return line;
}

/** The length of the CSI sequence (ESC [ params intermediates final) at `at`, or 0: as CSI_AT in ansi.ts. */
function csiLength(at: usize, end: usize): usize {
  let i = at + 2;
  if (i > end || load<u8>(at + 1) !== 0x5b) return 0;
  while (i < end && load<u8>(i) >= 0x30 && load<u8>(i) <= 0x3f) i++;
  while (i < end && load<u8>(i) >= 0x20 && load<u8>(i) <= 0x2f) i++;
  if (i < end && load<u8>(i) >= 0x40 && load<u8>(i) <= 0x7e) return i + 1 - at;
  return 0;
}

/**
 * Completes scan()'s list of lines with non-ASCII bytes: where each ends (after its \n, or at the end), and
 * lines that follow one another made one range. Writes the number of ranges after the union.
 */
function listWide(input: usize, len: i32, wide: usize, tables: usize): void {
  let ranges: u32 = 0;
  for (let k: u32 = 0; k < wideCount; k++) {
    const start = load<u32>(wide + (<usize>k << 3));
    // The \n that ends it, 16 bytes at a time (the input is followed by zero bytes to read past its end).
    let at = <i32>start;
    let end = len;
    while (at < len) {
      const newline = <u32>i8x16.bitmask(i8x16.eq(v128.load(input + <usize>at), i8x16.splat(10)));
      if (newline !== 0) {
        end = min(len, at + <i32>ctz(newline) + 1);
        break;
      }
      at += 16;
    }
    if (ranges > 0 && load<u32>(wide + (<usize>(ranges - 1) << 3), 4) === start) {
      store<u32>(wide + (<usize>(ranges - 1) << 3), <u32>end, 4);
    } else {
      store<u32>(wide + (<usize>ranges << 3), start);
      store<u32>(wide + (<usize>ranges << 3), <u32>end, 4);
      ranges++;
    }
  }
  store<u32>(tables + 1460, ranges);
}

/**
 * Classifies a buffer as scan() does, with `starts`, and then classifies each line with colour codes again
 * without them, as the masking engine will see it: its byte is then those families plus ANSI (0x80), which
 * now only says the line has codes to take out. Writes the union of all lines' families after the tables.
 * `work` is room for eight bytes a line and three a byte. Lists at `wide` the byte ranges of lines with
 * non-ASCII bytes (start and end, u32 each; room for eight bytes a line), so the caller can read the rest
 * as Latin-1. `pending` is room for four bytes a line.
 */
export function classify(
  input: usize,
  len: i32,
  flags: usize,
  tables: usize,
  starts: usize,
  work: usize,
  wide: usize,
  pending: usize,
): i32 {
  const newlines = scan(input, len, flags, tables, starts, work, wide, pending);
  listWide(input, len, wide, tables);
  let union = scanUnion;
  const count = colouredCount;
  if (count > 0) {
    // Each coloured line without its codes, \n-terminated, one after the other; then all of them at once.
    const stripped = work + (<usize>count << 3);
    const end = input + <usize>len;
    let out = stripped;
    for (let k: u32 = 0; k < count; k++) {
      let at = input + <usize>load<u32>(work + (<usize>k << 3), 4);
      while (at < end) {
        const c = load<u8>(at);
        if (c === 10) break;
        const skip = c === 27 ? csiLength(at, end) : 0;
        if (skip > 0) {
          at += skip;
          continue;
        }
        store<u8>(out, c);
        out++;
        at++;
      }
      store<u8>(out, 10);
      out++;
    }
    memory.fill(out, 0, 64);
    const again = out + 64;
    scan(stripped, <i32>(out - stripped), again, tables, 0, 0, 0, pending);
    for (let k: u32 = 0; k < count; k++) {
      const line = load<u32>(work + (<usize>k << 3));
      store<u8>(flags + <usize>line, load<u8>(again + <usize>k) | <u8>ANSI);
    }
    union = 0;
    for (let i: u32 = 0; i <= newlines; i++) union |= load<u8>(flags + <usize>i);
  }
  store<u8>(tables + 1456, <u8>union);
  return <i32>newlines;
}

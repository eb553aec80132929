// Runs the WebAssembly kernel over raw output bytes: one byte of rule families per line (see families.ts).
// The masker releases lines without any family as they are and runs only the needed passes on the rest,
// which is what lets it keep up with a log at a few hundred MiB/s (docs/masking.md). Pure computation on
// memory of its own; one classifier per masker, as the tables come from the masker's rules.
import { KERNEL_WASM_BASE64 } from './kernel-wasm.js';
import { buildTeddyTables, TEDDY_TABLE_BYTES, type TeddyAnchor } from './teddy-tables.js';

interface KernelExports {
  memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  classify(
    input: number,
    len: number,
    flags: number,
    tables: number,
    starts: number,
    work: number,
    wide: number,
    pending: number,
  ): number;
}

/** The part of the WebAssembly API used here (the project's TypeScript lib has no DOM types). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { readonly exports: unknown };
  validate(bytes: Uint8Array): boolean;
}
/** Undefined where WebAssembly is switched off (node --jitless). */
const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

const TABLES = 1024;
/** Where, after the tables, the kernel leaves the union of the families it found, and how many wide ranges. */
const UNION = TEDDY_TABLE_BYTES;
const WIDE_COUNT = TEDDY_TABLE_BYTES + 4;
const INPUT = 4096;
/** Zero bytes the kernel may read past the input (two blocks and the Teddy offsets). */
const PADDING = 64;
const PAGE = 65536;

let kernel: object | null | undefined;

/**
 * The compiled kernel, or null where there is no WebAssembly or it has no SIMD: the masker then searches
 * every line, as it did before the classifier, rather than fail a step.
 */
function kernelModule(): object | null {
  if (kernel === undefined) {
    try {
      const bytes = Buffer.from(KERNEL_WASM_BASE64, 'base64');
      kernel = wasm !== undefined && wasm.validate(bytes) ? new wasm.Module(bytes) : null;
    } catch {
      kernel = null;
    }
  }
  return kernel;
}

/** Tables by anchor set: every step of a job masks with the same packs, so they are built once. */
const tableCache = new Map<string, Uint8Array | null>();

function tablesFor(anchors: readonly TeddyAnchor[]): Uint8Array | null {
  const key = anchors.map((anchor) => `${anchor.family}:${anchor.text}`).join('\n');
  let tables = tableCache.get(key);
  if (tables === undefined) {
    tables = buildTeddyTables(anchors);
    if (tableCache.size > 64) tableCache.clear();
    tableCache.set(key, tables);
  }
  return tables;
}

export interface Classified {
  /**
   * Families per line of the bytes: entry i is line i (lines end with \n; the last entry is what follows
   * the last \n). A copy: it stays valid after the next call.
   */
  readonly families: Uint8Array;
  /** The union of all lines' families. */
  readonly union: number;
  /**
   * Where each line starts in the text the bytes decode to, in UTF-16 units, counted as if the bytes were
   * valid UTF-8 and began with a whole character (the masker checks them against the text it is given).
   * A copy, like `families`.
   */
  readonly starts: Uint32Array;
  /**
   * Byte ranges (start, end, ...) of the lines with bytes over 0x7f, those that follow one another joined:
   * every other byte is ASCII. A copy.
   */
  readonly wide: Uint32Array;
}

export interface LineClassifier {
  /** Null for more than MAX_CLASSIFIED_BYTES at once: the caller then searches everything. */
  classify(bytes: Uint8Array): Classified | null;
}

/**
 * The most bytes classified in one call. The kernel's memory grows to about 28 times a call's bytes (line
 * starts, room to classify lines again without their colour codes, the non-ASCII ranges, conditions) and
 * stays so for the masker's life; pipes deliver 64 KiB, so this only turns away a very large buffer.
 */
export const MAX_CLASSIFIED_BYTES = 512 * 1024;

/** A classifier for these anchors, or null when the kernel cannot run here. */
export function createLineClassifier(anchors: readonly TeddyAnchor[]): LineClassifier | null {
  const module = kernelModule();
  const tables = tablesFor(anchors);
  if (module === null || tables === null) return null;
  const exports = new wasm!.Instance(module).exports as KernelExports;
  const memory = exports.memory;
  let heap = new Uint8Array(memory.buffer);

  const ensure = (bytes: number): void => {
    if (memory.buffer.byteLength >= bytes) return;
    memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / PAGE));
    heap = new Uint8Array(memory.buffer);
  };
  ensure(INPUT);
  heap.set(tables, TABLES);

  return {
    classify(bytes) {
      const len = bytes.length;
      if (len > MAX_CLASSIFIED_BYTES) return null;
      const flags = INPUT + len + PADDING;
      // One u32 per line, aligned; then the kernel's room for lines with colour codes (see classify there).
      const starts = (flags + len + 1 + 3) & ~3;
      const work = starts + 4 * (len + 1);
      const wide = (work + 10 * (len + 1) + 2 * PADDING + 3) & ~3;
      const pending = wide + 8 * (len + 1);
      ensure(pending + 4 * (len + 2));
      heap.set(bytes, INPUT);
      heap.fill(0, INPUT + len, INPUT + len + PADDING);
      const newlines = exports.classify(INPUT, len, flags, TABLES, starts, work, wide, pending);
      const ranges = new Uint32Array(heap.buffer, TABLES + WIDE_COUNT, 1)[0]!;
      return {
        families: heap.slice(flags, flags + newlines + 1),
        union: heap[TABLES + UNION]!,
        starts: new Uint32Array(heap.buffer.slice(starts, starts + 4 * (newlines + 1))),
        wide: new Uint32Array(heap.buffer.slice(wide, wide + 8 * ranges)),
      };
    },
  };
}

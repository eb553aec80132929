// The line classifier's kernel alone: ms per MiB of the benchmark log in 64 KiB writes, copying into the
// kernel's memory and the copies of its results included, with the masker's own anchors. For changes to
// masking/line-classifier/assembly/kernel.ts (rebuild with `npm run build:wasm`) or its tables.
// Run: node bench/run.mjs bench/masking-kernel.ts [MiB=16]
import { performance } from 'node:perf_hooks';
import { createLineClassifier } from '../masking/line-classifier/classifier.js';
import { FAMILY } from '../masking/line-classifier/families.js';
import { MatchEngine } from '../masking/engine.js';
import { DEFAULT_PACKS } from '../masking/masker.js';
import { resolvePacks } from '../masking/packs.js';
import { ciLog } from './masking-log.js';

const mib = Number(process.argv[2] ?? 16);
const bytes = Buffer.from(ciLog(mib * 1024 * 1024));
const chunks: Buffer[] = [];
for (let at = 0; at < bytes.length; at += 64 * 1024) chunks.push(bytes.subarray(at, at + 64 * 1024));
const anchors = new MatchEngine(resolvePacks(DEFAULT_PACKS)).lineClassifierAnchors() ?? [];
const classifier = createLineClassifier([
  ...anchors,
  ...['::a', '::A', '-----BEGIN'].map((text) => ({ text, family: FAMILY.special })),
]);
if (classifier === null) throw new Error('the kernel did not load: this Node has no WebAssembly SIMD');

const times: number[] = [];
let lines = 0;
let flagged = 0;
for (let round = 0; round < 25; round++) {
  const start = performance.now();
  for (const chunk of chunks) {
    const { families } = classifier.classify(chunk)!;
    if (round === 0) {
      lines += families.length;
      // A line with only colour codes (ANSI alone) needs no pass.
      for (const family of families) if ((family & ~FAMILY.ansi) !== 0) flagged++;
    }
  }
  times.push(performance.now() - start);
}
times.sort((a, b) => a - b);
const perMiB = (ms: number) => (ms / (bytes.length / 1024 / 1024)).toFixed(3);
console.log(
  `kernel over ${mib} MiB in 64 KiB writes: best ${perMiB(times[0]!)} ms/MiB, median ${perMiB(times[times.length >> 1]!)}; ` +
    `${((100 * flagged) / lines).toFixed(1)} % of ${lines} lines flagged`,
);

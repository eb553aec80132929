// What the hash chain costs: recorder throughput with and without the #chain lines, the file-size overhead
// for typical output chunk sizes, and verification speed. Prints ratios measured in one run.
// Run: npx esbuild bench/recording.ts --bundle --platform=node --format=esm --outfile=/tmp/guard-bench-recording.mjs && node /tmp/guard-bench-recording.mjs
import { createCastRecorder } from '../recording/asciicast.js';
import { verifyCast } from '../recording/cast-verify.js';
import { createEventChain, verifyEventChain } from '../recording/event-chain.js';

const MB = 1024 * 1024;

// Lines go to a sink that only counts bytes (like a file write), so the numbers are the recorder's cost,
// not string building and garbage collection in the benchmark itself.
function plainCast(chunk: string, n: number): number {
  // The same lines asciinema writes, without guard's chain: the baseline.
  let bytes = JSON.stringify({ version: 3, term: { cols: 80, rows: 24 } }).length + 1;
  let t = 0;
  for (let i = 0; i < n; i += 1)
    bytes += `[${(t += 0.001).toFixed(3)}, "o", ${JSON.stringify(chunk)}]\n`.length;
  return bytes;
}

function chainedCast(chunk: string, n: number, keep: boolean): [number, string] {
  const rec = createCastRecorder({ cols: 80, rows: 24 }, 0);
  const kept: string[] = [rec.header()];
  let bytes = kept[0]!.length;
  for (let i = 0; i < n; i += 1) {
    const line = rec.output(chunk, i);
    bytes += line.length;
    if (keep) kept.push(line);
  }
  return [bytes, keep ? kept.join('') : ''];
}

function time<T>(fn: () => T): [T, number] {
  const start = process.hrtime.bigint();
  const value = fn();
  return [value, Number(process.hrtime.bigint() - start) / 1e9];
}

for (const size of [16, 256, 4096]) {
  const chunk = 'x'.repeat(size - 2) + '\r\n';
  const n = Math.ceil((16 * MB) / size);
  const [plain, tPlain] = time(() => plainCast(chunk, n));
  const [[chained], tChained] = time(() => chainedCast(chunk, n, false));
  const [, text] = chainedCast(chunk, n, true);
  const [verified, tVerify] = time(() => verifyCast(text));
  if (!verified.ok) throw new Error('bench recording did not verify');
  console.log(
    `chunk ${String(size).padStart(4)} B: write ${(16 / tChained).toFixed(0)} MB/s chained vs ${(16 / tPlain).toFixed(0)} MB/s plain ` +
      `(x${(tChained / tPlain).toFixed(1)} time), size x${(chained / plain).toFixed(2)}, verify ${(16 / tVerify).toFixed(0)} MB/s`,
  );
}

const chain = createEventChain();
const [events, tEvents] = time(() => {
  let out = '';
  for (let i = 0; i < 100_000; i += 1)
    out += chain.append({ type: 'sql.statement', step: 2, verb: 'select', rows: i }, i);
  return out;
});
const [, tVerifyEvents] = time(() => verifyEventChain(events));
console.log(
  `events.jsonl: append ${(100_000 / tEvents).toFixed(0)} events/s, verify ${(100_000 / tVerifyEvents).toFixed(0)} events/s`,
);

// Masking benchmark: throughput with every default pack on a realistic CI log, next to a raw pipe in the
// same run, and latency from a write to its output for line-at-a-time output.
// Run: node bench/run.mjs bench/masking.ts [MiB=16]
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { createMasker, DEFAULT_PACKS, type StreamMasker } from '../masking/masker.js';
import { createMaskedOutput } from '../masking/mask-transform.js';
import { ciLog } from './masking-log.js';

const mib = Number(process.argv[2] ?? 16);
const log = ciLog(mib * 1024 * 1024);
const bytes = Buffer.byteLength(log);
const CHUNK = 64 * 1024;
function chunked(text: string): Buffer[] {
  const encoded = Buffer.from(text);
  const out: Buffer[] = [];
  for (let i = 0; i < encoded.length; i += CHUNK) out.push(encoded.subarray(i, i + CHUNK));
  return out;
}
const chunks = chunked(log);
// The same log with its few non-ASCII characters (vitest's ✓) replaced, as many builds print: every chunk
// is then ASCII, which decodes faster.
const asciiChunks = chunked(log.replace(/[^\x00-\x7f]/g, '*'));
const secrets = Array.from({ length: 20 }, (_, i) => `s3cr3t-${i}-${'x'.repeat(i)}-Zq${i * 7919}`);

function mibPerSecond(ms: number): number {
  return bytes / 1024 / 1024 / (ms / 1000);
}

/** What passing output through guard costs without masking: the same decode + sinks, an identity stream. */
function rawPipe(input = chunks): Timing {
  const identity: StreamMasker = {
    write: (text) => ({ runner: text, record: text }),
    flushPartial: () => ({ runner: '', record: '' }),
    flush: () => ({ runner: '', record: '' }),
    pending: () => false,
  };
  return pump(identity, input);
}

interface Timing {
  wallMs: number;
  cpuMs: number;
}

function pump(stream: StreamMasker, input = chunks): Timing {
  let out = 0;
  const output = createMaskedOutput(stream, {
    runner: (text) => {
      out += text.length;
    },
    record: () => undefined,
  });
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (const chunk of input) output.write(chunk);
  output.end();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  if (out === 0) throw new Error('no output');
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

/** A policy's custom rule, as a platform team adds for an internal token format. */
const customRules = [{ name: 'ticket', pattern: 'TCK-[0-9]{6}' }];

function masked(
  packs: readonly string[],
  withSecrets: boolean,
  lineClassifier = true,
  input = chunks,
  rules: typeof customRules = [],
): Timing {
  const options = { packs, secrets: withSecrets ? secrets : [], lineClassifier, rules };
  return pump(createMasker(options).stream(), input);
}

/**
 * Best of a few runs after two untimed ones: the machine is shared, so the minimum is the least disturbed
 * figure, and the first runs of a path are its warm-up (JavaScript and WebAssembly are compiled in tiers:
 * the first 16 MiB through a fresh process ran at half speed), which a long log pays once.
 */
function best(run: () => Timing, times = 5, warmUp = 2): Timing {
  for (let i = 0; i < warmUp; i++) run();
  let wallMs = Infinity;
  let cpuMs = Infinity;
  for (let i = 0; i < times; i++) {
    const t = run();
    wallMs = Math.min(wallMs, t.wallMs);
    cpuMs = Math.min(cpuMs, t.cpuMs);
  }
  return { wallMs, cpuMs };
}

function latency(): { p50: number; p99: number; max: number } {
  const masker = createMasker({ secrets });
  // As the shell proxy writes them: bytes, one line a write.
  const lines = log
    .slice(0, 4 * 1024 * 1024)
    .split(/(?<=\n)/)
    .map((line) => Buffer.from(line));
  let released = 0;
  const output = createMaskedOutput(masker.stream(), {
    runner: () => {
      released = performance.now();
    },
    record: () => undefined,
  });
  const samples: number[] = [];
  for (const line of lines) {
    const start = performance.now();
    output.write(line);
    samples.push(released - start);
  }
  output.end();
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
  return { p50: at(0.5), p99: at(0.99), max: samples[samples.length - 1]! };
}

const raw = best(rawPipe);
const rows: [string, Timing][] = [
  ['raw pipe (UTF-8 decode + sinks, no masking)', raw],
  [`all packs (${DEFAULT_PACKS.join(', ')})`, best(() => masked(DEFAULT_PACKS, false))],
  ['all packs + 20 known secrets', best(() => masked(DEFAULT_PACKS, true))],
  ['20 known secrets only (packs: [])', best(() => masked([], true))],
  [
    'all packs + a custom rule from policy',
    best(() => masked(DEFAULT_PACKS, false, true, chunks, customRules)),
  ],
  [
    'all packs, line classifier off (every pass over all text)',
    best(() => masked(DEFAULT_PACKS, false, false)),
  ],
  ['raw pipe, the log without its non-ASCII characters', best(() => rawPipe(asciiChunks))],
  [
    'all packs, the log without its non-ASCII characters',
    best(() => masked(DEFAULT_PACKS, false, true, asciiChunks)),
  ],
];
console.log(
  `log: ${(bytes / 1024 / 1024).toFixed(1)} MiB, ${log.split('\n').length - 1} lines, 64 KiB writes; node ${process.version}; load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`,
);
console.log(
  `${'path'.padEnd(64)} ${'MiB/s wall'.padStart(11)} ${'MiB/cpu-s'.padStart(10)} ${'vs raw'.padStart(8)}`,
);
for (const [name, t] of rows) {
  console.log(
    `${name.padEnd(64)} ${mibPerSecond(t.wallMs).toFixed(0).padStart(11)} ${mibPerSecond(t.cpuMs).toFixed(0).padStart(10)} ${(raw.cpuMs / t.cpuMs).toFixed(3).padStart(8)}`,
  );
}
const l = latency();
console.log(
  `line-at-a-time, write -> output (all packs + 20 secrets): p50 ${(l.p50 * 1000).toFixed(1)} µs, p99 ${(l.p99 * 1000).toFixed(1)} µs, max ${l.max.toFixed(2)} ms`,
);

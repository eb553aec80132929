// How fast could the masker get with a perfect line prefilter in front of its old passes? Splits the
// benchmark log into lines that any pass of the match engine, the e-mail anchor or an `::add-mask::`
// command would still stop at (looked for in the text without colour codes) and lines nothing can match
// in; then times the raw pipe over the whole log plus the masker without its line classifier (every pass
// over all the text) over the first kind only. That is the throughput of a prefilter that costs nothing
// and is never wrong, at line granularity, with those passes behind it: an upper bound for that design,
// measured on this machine, and why the line classifier (masking/line-classifier/) also chooses the
// passes per line.
// Run: node bench/run.mjs bench/masking-bound.ts [MiB=16]
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { createMaskedOutput } from '../masking/mask-transform.js';
import { createMasker, DEFAULT_PACKS, type StreamMasker } from '../masking/masker.js';
import { resolvePacks } from '../masking/packs.js';
import { ciLog } from './masking-log.js';
import { passSources } from './masking-pass-sources.js';

const mib = Number(process.argv[2] ?? 16);
const log = ciLog(mib * 1024 * 1024);
const sources = passSources(resolvePacks(DEFAULT_PACKS));
const families: [string, RegExp][] = [
  ['@ (e-mail)', /@/],
  ['::add-mask::', /::add-mask::/i],
  ['tokens', new RegExp(sources.tokens)],
  ['keywords', new RegExp(sources.keywords)],
  ['key suffixes', new RegExp(sources.keySuffixes)],
  ['literals', new RegExp(sources.literals)],
  ['numbers', new RegExp(sources.numbers)],
  ['IBAN', new RegExp(sources.iban)],
];
// The runner's timestamp (`2026-01-15T10:00:00.0000000Z `) is left out of the question: no rule can match
// in it, and a real prefilter would have to be taught to skip it too.
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z /;
const lines = log.split(/(?<=\n)/);
const hits = new Map<string, number>();
const flagged: string[] = [];
for (const line of lines) {
  const body = line.replace(TIMESTAMP, '').replace(/\x1b\[[0-?]*[ -/]*[@-~]/g, '');
  let any = false;
  for (const [name, regex] of families) {
    if (!regex.test(body)) continue;
    hits.set(name, (hits.get(name) ?? 0) + 1);
    any = true;
  }
  if (any) flagged.push(line);
}

const identity: StreamMasker = {
  write: (text) => ({ runner: text, record: text }),
  flushPartial: () => ({ runner: '', record: '' }),
  flush: () => ({ runner: '', record: '' }),
  pending: () => false,
};

/** CPU ms to pump `text` through `stream()` in 64 KiB writes, best of 5. */
function cpuMs(text: string, stream: () => StreamMasker): number {
  const encoded = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let i = 0; i < encoded.length; i += 64 * 1024) chunks.push(encoded.subarray(i, i + 64 * 1024));
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const output = createMaskedOutput(stream(), { runner: () => undefined, record: () => undefined });
    const cpu = process.cpuUsage();
    const start = performance.now();
    for (const chunk of chunks) output.write(chunk);
    output.end();
    const used = process.cpuUsage(cpu);
    best = Math.min(best, Math.max(performance.now() - start, (used.user + used.system) / 1000));
  }
  return best;
}

const flaggedText = flagged.join('');
const bytes = Buffer.byteLength(log);
const MiB = bytes / 1024 / 1024;
const raw = cpuMs(log, () => identity);
const masked = cpuMs(log, () => createMasker({ lineClassifier: false }).stream());
const maskedFlagged = cpuMs(flaggedText, () => createMasker({ lineClassifier: false }).stream());
const rate = (ms: number) => (MiB / (ms / 1000)).toFixed(0).padStart(6);

console.log(`log: ${MiB.toFixed(1)} MiB, ${lines.length} lines; load average ${loadavg()[0]!.toFixed(1)}`);
console.log(
  `lines a pass would stop at: ${((flagged.length / lines.length) * 100).toFixed(1)} % of lines, ` +
    `${((Buffer.byteLength(flaggedText) / bytes) * 100).toFixed(1)} % of bytes`,
);
for (const [name] of families) {
  console.log(
    `  ${name.padEnd(14)} ${(((hits.get(name) ?? 0) / lines.length) * 100).toFixed(1).padStart(5)} % of lines`,
  );
}
console.log(`raw pipe                                              ${rate(raw)} MiB/s`);
console.log(`masker, all packs, classifier off                     ${rate(masked)} MiB/s`);
console.log(`perfect free line prefilter + masker on what it keeps ${rate(raw + maskedFlagged)} MiB/s`);

// Where the masker's time goes: each regex pass of the match engine alone over the plain text of the
// benchmark log, the whole engine.find, and two per-character JavaScript loops of the kind a per-line
// prefilter would need, all in one run (CPU ms per MiB, best of 7). Used to decide what to change.
// Run: node bench/run.mjs bench/masking-passes.ts [MiB=16]
import { loadavg } from 'node:os';
import { MatchEngine } from '../masking/engine.js';
import { DEFAULT_PACKS, resolvePacks } from '../masking/packs.js';
import { SpanList } from '../masking/spans.js';
import { ciLog } from './masking-log.js';
import { passSources } from './masking-pass-sources.js';

const mib = Number(process.argv[2] ?? 16);
const plain = ciLog(mib * 1024 * 1024).replace(/\x1b\[[0-?]*[ -/]*[@-~]/g, '');
const chunks: string[] = [];
for (let i = 0; i < plain.length;) {
  let j = plain.lastIndexOf('\n', i + 64 * 1024);
  if (j <= i) j = plain.length;
  chunks.push(plain.slice(i, j + 1));
  i = j + 1;
}
const MiB = plain.length / 1024 / 1024;

const rules = resolvePacks(DEFAULT_PACKS);
const sources = passSources(rules);

const count = (source: string) => {
  const regex = new RegExp(source, 'g');
  return (text: string) => {
    regex.lastIndex = 0;
    let n = 0;
    while (regex.exec(text) !== null) n++;
    return n;
  };
};
const table = new Uint8Array(65536);
for (const c of '@:=_-') table[c.charCodeAt(0)] = 1;
const bitmap = new Int32Array(2048);
const engine = new MatchEngine(rules);

const cases: [string, (text: string) => number][] = [
  ['tokens pass', count(sources.tokens)],
  ['keywords pass', count(sources.keywords)],
  ['key suffixes pass', count(sources.keySuffixes)],
  ['keywords + key suffixes as one pass (before)', count(`${sources.keywords}|${sources.keySuffixes}`)],
  ['literals pass', count(sources.literals)],
  ['numbers pass', count(sources.numbers)],
  ['IBAN pass', count(sources.iban)],
  [
    'indexOf @',
    (text) => {
      let n = 0;
      for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) n++;
      return n;
    },
  ],
  [
    'JS loop: class table per character',
    (text) => {
      let flags = 0;
      for (let i = 0; i < text.length; i++) flags |= table[text.charCodeAt(i)]!;
      return flags;
    },
  ],
  [
    'JS loop: rolling 4-gram hash + bitmap',
    (text) => {
      let n = 0;
      let h = 0;
      for (let i = 0; i < text.length; i++) {
        h = (h << 8) | (text.charCodeAt(i) & 0xff);
        const bit = Math.imul(h, 0x9e3779b1) >>> 16;
        if ((bitmap[bit >>> 5]! & (1 << (bit & 31))) !== 0) n++;
      }
      return n;
    },
  ],
  [
    'engine.find (every pass + rule code)',
    (text) => {
      const spans = new SpanList();
      engine.find(text, spans);
      return spans.spans.length;
    },
  ],
];

const best = new Map<string, number>();
for (let round = 0; round < 7; round++) {
  for (const [name, run] of cases) {
    const cpu = process.cpuUsage();
    for (const chunk of chunks) run(chunk);
    const used = process.cpuUsage(cpu);
    best.set(name, Math.min(best.get(name) ?? Infinity, (used.user + used.system) / 1000));
  }
}
console.log(
  `plain text ${MiB.toFixed(1)} MiB in ${chunks.length} chunks; load average ${loadavg()[0]!.toFixed(1)}`,
);
for (const [name, ms] of best) console.log(`${name.padEnd(48)} ${(ms / MiB).toFixed(2).padStart(6)} ms/MiB`);

// False-positive rate of the masker (all default packs) on generated true negatives, per shape.
// Run: node bench/run.mjs bench/masking-false-positives.ts [count=20000]
import { createMasker } from '../masking/masker.js';
import { falsePositiveRates } from '../masking/test/negatives.js';

const count = Number(process.argv[2] ?? 20_000);
const masker = createMasker();
const rates = falsePositiveRates((text) => masker.maskText(text), count);
console.log(`${count} values per shape, all packs; share of values changed by the masker:`);
for (const [category, rate] of Object.entries(rates)) {
  console.log(`${category.padEnd(30)} ${(rate * 100).toFixed(3).padStart(8)} %`);
}
console.log('masked as:', masker.counts());

// True negatives for the false-positive measurement: values of shapes a CI log is full of, generated
// deterministically. Shared by the test (which bounds the rate) and bench/masking-false-positives.ts
// (which reports it).

function rng(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

const HEX = '0123456789abcdef';
const WORDS = [
  'build',
  'deploy',
  'test',
  'cache',
  'shop',
  'orders',
  'ready',
  'green',
  'release',
  'docs',
  'lint',
  'node',
];

export const NEGATIVE_CATEGORIES: Readonly<Record<string, (next: (n: number) => number) => string>> = {
  'git SHA': (r) => Array.from({ length: 40 }, () => HEX[r(16)]).join(''),
  'short SHA': (r) => Array.from({ length: 7 }, () => HEX[r(16)]).join(''),
  UUID: (r) => {
    const h = (n: number) => Array.from({ length: n }, () => HEX[r(16)]).join('');
    return `${h(8)}-${h(4)}-4${h(3)}-${'89ab'[r(4)]}${h(3)}-${h(12)}`;
  },
  semver: (r) => `${r(30)}.${r(100)}.${r(1000)}${r(2) === 0 ? '' : `-rc.${r(20)}`}`,
  'ISO timestamp': (r) =>
    new Date(Date.UTC(2000 + r(40), r(12), 1 + r(28), r(24), r(60), r(60), r(1000)))
      .toISOString()
      .replace('Z', '0000Z'),
  'epoch ms': (r) => String(1_500_000_000_000 + r(300_000_000) * 1000 + r(1000)),
  'build number (8-12 digits)': (r) => String(10_000_000 + r(2_000_000_000)),
  'random 16-digit number': (r) =>
    String(1 + r(9)) + Array.from({ length: 15 }, () => String(r(10))).join(''),
  'random 11-digit number': (r) =>
    String(1 + r(9)) + Array.from({ length: 10 }, () => String(r(10))).join(''),
  'base64 of text': (r) =>
    Buffer.from(Array.from({ length: 3 + r(12) }, () => WORDS[r(WORDS.length)]).join(' ')).toString('base64'),
  'IPv4 address': (r) => `${r(256)}.${r(256)}.${r(256)}.${r(256)}`,
  'docker digest': (r) => `sha256:${Array.from({ length: 64 }, () => HEX[r(16)]).join('')}`,
  duration: (r) => `${r(100)}m${r(60)}.${r(1000)}s`,
};

/** Masks `count` generated values of each category in a sentence; returns the share changed per category. */
export function falsePositiveRates(
  mask: (text: string) => string,
  count: number,
  seed = 7,
): Record<string, number> {
  const rates: Record<string, number> = {};
  for (const [name, make] of Object.entries(NEGATIVE_CATEGORIES)) {
    const next = rng(seed + name.length);
    let changed = 0;
    for (let i = 0; i < count; i++) {
      const line = `value ${make(next)} logged\n`;
      if (mask(line) !== line) changed++;
    }
    rates[name] = changed / count;
  }
  return rates;
}

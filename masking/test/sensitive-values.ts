// Generators of valid sensitive values (secrets, tokens, personal data) for the property test: every
// value here must be masked wherever it appears.
import fc from 'fast-check';

/**
 * Values are derived from one random integer with a small PRNG: generating them character by character
 * with fast-check arbitraries costs more than masking them, and the property needs 10,000 cases.
 */
function seeded<T>(make: (next: (n: number) => number) => T): fc.Arbitrary<T> {
  return fc.integer({ min: 0, max: 0x7fffffff }).map((seed) => {
    let state = seed >>> 0;
    const next = (n: number): number => {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * n;
    };
    return make((n) => Math.floor(next(n)));
  });
}

type Next = (n: number) => number;
const digitsOf = (next: Next, n: number) => Array.from({ length: n }, () => String(next(10))).join('');
const charsOf = (next: Next, alphabet: string, min: number, max: number) =>
  Array.from({ length: min + next(max - min + 1) }, () => alphabet.charAt(next(alphabet.length))).join('');
const pick = <T>(next: Next, items: readonly T[]): T => items[next(items.length)]!;
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function luhnDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

export const card = seeded((next) => {
  const [prefix, length] = pick(next, [
    ['4', 16],
    ['51', 16],
    ['55', 16],
    ['2221', 16],
    ['34', 15],
    ['37', 15],
    ['6011', 16],
    ['65', 16],
    ['3530', 16],
  ] as const);
  const body = prefix + digitsOf(next, length - prefix.length - 1);
  const number = body + luhnDigit(body);
  const style = pick(next, ['plain', ' ', '-']);
  if (style === 'plain') return number;
  const groups = length === 15 ? [4, 6, 5] : [4, 4, 4, 4];
  let at = 0;
  return groups.map((g) => number.slice(at, (at += g))).join(style);
}).filter((n) => !/^(\d)\1+$/.test(n.replace(/\D/g, '')));

function cpfDigits(nine: string): string {
  const dv = (d: string, w: number) => {
    let s = 0;
    for (let i = 0; i < d.length; i++) s += Number(d[i]) * (w - i);
    const r = (s * 10) % 11;
    return String(r === 10 ? 0 : r);
  };
  const ten = nine + dv(nine, 10);
  return ten + dv(ten, 11);
}

export const cpf = seeded((next) => {
  const n = cpfDigits(digitsOf(next, 9));
  return next(2) === 0 ? n : `${n.slice(0, 3)}.${n.slice(3, 6)}.${n.slice(6, 9)}-${n.slice(9)}`;
}).filter((n) => !/^(\d)\1+$/.test(n.replace(/\D/g, '')));

function cnpjDigits(twelve: string): string {
  const dv = (d: string, weights: number[]) => {
    let s = 0;
    weights.forEach((w, i) => (s += Number(d[i]) * w));
    const r = s % 11;
    return String(r < 2 ? 0 : 11 - r);
  };
  const thirteen = twelve + dv(twelve, [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]);
  return thirteen + dv(thirteen, [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]);
}

export const cnpj = seeded((next) => {
  const n = cnpjDigits(digitsOf(next, 12));
  return next(2) === 0
    ? n
    : `${n.slice(0, 2)}.${n.slice(2, 5)}.${n.slice(5, 8)}/${n.slice(8, 12)}-${n.slice(12)}`;
}).filter((n) => !/^(\d)\1+$/.test(n.replace(/\D/g, '')));

export const ssn = seeded((next) => {
  let area = 1 + next(899);
  if (area === 666) area = 665;
  return `${String(area).padStart(3, '0')}-${String(1 + next(99)).padStart(2, '0')}-${String(1 + next(9999)).padStart(4, '0')}`;
}).filter((v) => v !== '078-05-1120' && v !== '219-09-9999');

function ibanCheck(country: string, bban: string): string {
  const rearranged = `${bban}${country}00`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rest = 0;
  for (const ch of rearranged) rest = (rest * 10 + Number(ch)) % 97;
  return String(98 - rest).padStart(2, '0');
}

export const iban = seeded((next) => {
  const [country, length] = pick(next, [
    ['DE', 18],
    ['NL', 14],
    ['FR', 23],
    ['ES', 20],
    ['IT', 23],
  ] as const);
  const bban = digitsOf(next, length);
  const value = `${country}${ibanCheck(country, bban)}${bban}`;
  return next(2) === 0 ? value : value.replace(/(.{4})(?=.)/g, '$1 ');
});

export const email = seeded((next) => {
  const lower = 'abcdefghijklmnopqrstuvwxyz';
  const extra = next(2) === 0 ? '' : `.${charsOf(next, `${lower}0123456789`, 1, 6)}`;
  return `${charsOf(next, lower, 3, 10)}${extra}@${charsOf(next, lower, 3, 10)}.${pick(next, ['com', 'org', 'io', 'com.br', 'co.uk'])}`;
}).filter((e) => !e.startsWith('git@'));

export const phone = seeded((next) =>
  next(2) === 0
    ? `+55 ${digitsOf(next, 2)} 9${digitsOf(next, 4)}-${digitsOf(next, 4)}`
    : `+1 (${200 + next(800)}) ${200 + next(800)}-${digitsOf(next, 4)}`,
);

export const awsKey = seeded((next) => `AKIA${charsOf(next, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16, 16)}`);
export const githubToken = seeded((next) => `ghp_${charsOf(next, ALNUM, 36, 36)}`);
export const openaiKey = seeded((next) => `sk-proj-${charsOf(next, `${ALNUM}_-`, 32, 64)}`).filter((k) =>
  /[A-Za-z0-9]$/.test(k),
);
export const anthropicKey = seeded((next) => `sk-ant-api03-${charsOf(next, ALNUM, 32, 64)}`);
export const jwt = seeded((next) => {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: charsOf(next, ALNUM, 4, 12) })}.${charsOf(next, ALNUM, 20, 43)}`;
});

/** A known secret: random, at least 12 characters, from the characters passwords and tokens use. */
export const knownSecret = seeded((next) => charsOf(next, `${ALNUM}!#%&*+-./:=?@^_~`, 12, 40)).filter((s) =>
  /[A-Za-z0-9]{3}/.test(s),
);

/** Every kind of rule-detected value, tagged with the type it must be masked as. */
export const ruleValue = fc.oneof(
  card.map((v) => ({ v, kind: 'card' })),
  cpf.map((v) => ({ v, kind: 'cpf' })),
  cnpj.map((v) => ({ v, kind: 'cnpj' })),
  ssn.map((v) => ({ v, kind: 'ssn' })),
  iban.map((v) => ({ v, kind: 'iban' })),
  email.map((v) => ({ v, kind: 'email' })),
  phone.map((v) => ({ v, kind: 'phone' })),
  awsKey.map((v) => ({ v, kind: 'aws-access-key' })),
  githubToken.map((v) => ({ v, kind: 'github-token' })),
  openaiKey.map((v) => ({ v, kind: 'openai-key' })),
  anthropicKey.map((v) => ({ v, kind: 'anthropic-key' })),
  jwt.map((v) => ({ v, kind: 'jwt' })),
);

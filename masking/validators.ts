// Check-digit and plausibility validators. They are what keeps a 16-digit build number, a random
// 11-digit id or an ISO-looking code from being masked as personal data: a pattern only proposes, the
// validator decides.

/** Luhn (mod 10) over a string of ASCII digits. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/**
 * True for a 12-19 digit number whose issuer prefix belongs to a card network (Visa, Mastercard, Amex,
 * Discover, JCB, Diners, UnionPay, Maestro, Elo, Hipercard) and whose Luhn digit is right. Numbers
 * starting with 0, 1, 7, 8 or 9 are never cards, which rules out epoch timestamps and most build ids.
 */
export function paymentCardValid(digits: string): boolean {
  const n = digits.length;
  if (n < 12 || n > 19) return false;
  if (!issuerKnown(digits, n)) return false;
  if (/^(\d)\1+$/.test(digits)) return false;
  return luhnValid(digits);
}

function issuerKnown(d: string, n: number): boolean {
  const two = Number(d.slice(0, 2));
  const four = Number(d.slice(0, 4));
  switch (d.charCodeAt(0) - 48) {
    case 2:
      return four >= 2221 && four <= 2720 && n === 16;
    case 3:
      if (two === 34 || two === 37) return n === 15;
      if (four >= 3528 && four <= 3589) return n >= 16;
      return (two === 36 || two === 38 || two === 39 || (four >= 3000 && four <= 3059)) && n >= 14;
    case 4:
      return n === 13 || n >= 16;
    case 5:
      return two >= 50 && two <= 58 && n >= 12;
    case 6:
      return n >= 12;
    default:
      return false;
  }
}

/** Brazilian CPF (11 digits) with both check digits; repeated-digit numbers are invalid by rule. */
export function cpfValid(digits: string): boolean {
  if (!/^\d{11}$/.test(digits) || /^(\d)\1{10}$/.test(digits)) return false;
  return (
    checkDigit(digits, 9, 10) === digits.charCodeAt(9) - 48 &&
    checkDigit(digits, 10, 11) === digits.charCodeAt(10) - 48
  );
}

function checkDigit(digits: string, length: number, firstWeight: number): number {
  let sum = 0;
  for (let i = 0; i < length; i++) sum += (digits.charCodeAt(i) - 48) * (firstWeight - i);
  const rest = (sum * 10) % 11;
  return rest === 10 ? 0 : rest;
}

const CNPJ_WEIGHTS_1 = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];
const CNPJ_WEIGHTS_2 = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];

/** Brazilian CNPJ (14 digits) with both check digits. */
export function cnpjValid(digits: string): boolean {
  if (!/^\d{14}$/.test(digits) || /^(\d)\1{13}$/.test(digits)) return false;
  return (
    cnpjDigit(digits, CNPJ_WEIGHTS_1) === digits.charCodeAt(12) - 48 &&
    cnpjDigit(digits, CNPJ_WEIGHTS_2) === digits.charCodeAt(13) - 48
  );
}

function cnpjDigit(digits: string, weights: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += (digits.charCodeAt(i) - 48) * (weights[i] ?? 0);
  const rest = sum % 11;
  return rest < 2 ? 0 : 11 - rest;
}

/**
 * US Social Security Number by the SSA's issuance rules: area 000, 666 and 900-999, group 00 and serial
 * 0000 are never issued; 078-05-1120 and 219-09-9999 are famous published examples, not people.
 */
export function ssnValid(area: string, group: string, serial: string): boolean {
  const a = Number(area);
  if (a === 0 || a === 666 || a >= 900) return false;
  if (group === '00' || serial === '0000') return false;
  const whole = `${area}${group}${serial}`;
  return whole !== '078051120' && whole !== '219099999';
}

// ISO 13616 registry: country code -> total IBAN length. A code not listed is not an IBAN.
const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BI: 27,
  BR: 29,
  BY: 28,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DJ: 27,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FK: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HN: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IQ: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LC: 32,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  LY: 25,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MN: 20,
  MR: 27,
  MT: 31,
  MU: 30,
  NI: 28,
  NL: 18,
  NO: 15,
  OM: 23,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  RU: 33,
  SA: 24,
  SC: 31,
  SD: 18,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  SO: 23,
  ST: 25,
  SV: 28,
  TL: 23,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
  YE: 30,
};

/** The registered IBAN length for a two-letter country code, or undefined when it has none. */
export function ibanLength(country: string): number | undefined {
  return Object.hasOwn(IBAN_LENGTHS, country) ? IBAN_LENGTHS[country] : undefined;
}

/** IBAN without spaces: known country, its exact length, and the ISO 7064 mod-97 check equal to 1. */
export function ibanValid(iban: string): boolean {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(iban)) return false;
  if (ibanLength(iban.slice(0, 2)) !== iban.length) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let rest = 0;
  for (let i = 0; i < rearranged.length; i++) {
    const c = rearranged.charCodeAt(i);
    // Letters count as two digits (A=10 ... Z=35); folding digit by digit keeps the number small.
    if (c >= 65) rest = (rest * 100 + (c - 55)) % 97;
    else rest = (rest * 10 + (c - 48)) % 97;
  }
  return rest === 1;
}

/** Shannon entropy in bits per character. */
export function shannonEntropy(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  const n = [...value].length;
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / n;
    bits -= p * Math.log2(p);
  }
  return bits;
}

// Personal-data packs. Each pattern only proposes a candidate; a validator (Luhn, check digits, mod-97,
// issuance rules) decides, so ordinary numbers in a CI log are left alone.
import { cnpjValid, cpfValid, ibanLength, ibanValid, paymentCardValid, ssnValid } from '../validators.js';
import {
  stickyAt,
  type AnchoredRule,
  type NumericRule,
  type Pack,
  type ScanRule,
  type SpanSink,
} from './types.js';

/**
 * Runs a global regex over an island and hands each candidate (and its digits) to `accept`. A rejected
 * candidate is retried without its last group ("+55 11 91234-5678 2024" is a phone followed by a year),
 * so a neighbouring number cannot hide a match.
 */
function islandRule(
  type: string,
  minDigits: number,
  pattern: RegExp,
  accept: (candidate: string, digits: string) => boolean,
): NumericRule {
  const whole = new RegExp(`^(?:${pattern.source})$`);
  return {
    kind: 'numeric',
    type,
    minDigits,
    matchIsland(island, offset, out) {
      pattern.lastIndex = 0;
      for (let m = pattern.exec(island); m !== null; m = pattern.exec(island)) {
        let candidate = m[0];
        let accepted = false;
        for (;;) {
          if (whole.test(candidate) && accept(candidate, candidate.replace(/\D/g, ''))) {
            out.add(offset + m.index, offset + m.index + candidate.length, type);
            accepted = true;
            break;
          }
          const cut = candidate.search(/[ .\/()-]+\d+\)?$/);
          if (cut <= 0) break;
          candidate = candidate.slice(0, cut);
        }
        // After a rejected candidate, look again from its next character: "0001 4000 0000 0000 0002" hides
        // a card that starts at its second group.
        pattern.lastIndex = m.index + (accepted ? candidate.length : 1);
      }
    },
  };
}

const card = islandRule(
  'card',
  12,
  /(?<!\d)(?:\d{12,19}|\d{4}([ -])\d{4}\1\d{4}\1\d{4}(?:\1\d{1,3})?|\d{4}([ -])\d{6}\2\d{4,5})(?!\d)/g,
  (_candidate, digits) => paymentCardValid(digits),
);

const phone = islandRule(
  'phone',
  8,
  // International (+CC ...), North American (555) 123-4567 / 555-123-4567, Brazilian (11) 91234-5678.
  /\+\d{1,3}[ .-]?(?:\(\d{1,4}\)[ .-]?)?\d{1,4}(?:[ .-]?\d{1,4}){1,5}(?!\d)|(?<!\d)(?:\(\d{3}\)[ ]?|\d{3}[-.])\d{3}[-.]\d{4}(?!\d)|(?<!\d)\(\d{2}\)[ ]?9?\d{4}-?\d{4}(?!\d)/g,
  (candidate, digits) => {
    if (candidate.startsWith('+')) return digits.length >= 8 && digits.length <= 15;
    if (candidate.startsWith('(')) return digits.length === 10 || digits.length === 11;
    // North American numbering: area code and exchange never start with 0 or 1.
    return digits.length === 10 && digits.charCodeAt(0) > 49 && digits.charCodeAt(3) > 49;
  },
);

const cpf = islandRule(
  'cpf',
  11,
  /(?<!\d)(?:\d{3}\.\d{3}\.\d{3}-\d{2}|\d{11})(?!\d)/g,
  (_candidate, digits) => cpfValid(digits),
);

const cnpj = islandRule(
  'cnpj',
  14,
  /(?<!\d)(?:\d{2}\.\d{3}\.\d{3}\/\d{4}-\d{2}|\d{14})(?!\d)/g,
  (_candidate, digits) => cnpjValid(digits),
);

const ssn = islandRule('ssn', 9, /(?<!\d)\d{3}([- ])\d{2}\1\d{4}(?!\d)/g, (_candidate, d) =>
  ssnValid(d.slice(0, 3), d.slice(3, 5), d.slice(5)),
);

/** [A-Za-z0-9._%+-], by char code: this runs backwards from every `@` (`actions/cache@v4` too). */
function isLocalPartChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) ||
    (c >= 65 && c <= 90) ||
    (c >= 48 && c <= 57) ||
    c === 46 ||
    c === 95 ||
    c === 37 ||
    c === 43 ||
    c === 45
  );
}
const DOMAIN = /@((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24})(?![A-Za-z0-9-])/y;

const email: AnchoredRule = {
  kind: 'anchored',
  type: 'email',
  anchors: ['@'],
  partial: /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]*$/,
  match(text, at, out) {
    let start = at;
    while (start > 0 && at - start < 64 && isLocalPartChar(text.charCodeAt(start - 1))) start--;
    while (start < at && text.charAt(start) === '.') start++;
    if (start === at) return;
    // `git@github.com:org/repo` is an SSH remote, not a person.
    if (text.slice(start, at) === 'git') return;
    // In `scheme://user:password@host` the part before @ is credentials (the password rule's), not a mailbox.
    if (isUrlUserinfo(text, start, at)) return;
    const m = stickyAt(DOMAIN, text, at);
    if (m !== null) out.add(start, at + m[0].length, 'email');
  },
};

function isUrlUserinfo(text: string, start: number, at: number): boolean {
  const from = Math.max(0, start - 256);
  // Searched within the window only: lastIndexOf on the whole text runs back to its start when no URL
  // precedes the `@`.
  const inWindow = text.slice(from, start + 3).lastIndexOf('://');
  if (inWindow === -1) return false;
  const scheme = from + inWindow;
  const between = text.slice(scheme + 3, at);
  return !/[\s/?#]/.test(between);
}

const IBAN_CANDIDATE = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){10,32}/g;

/** Exported so the match engine can tell it from a custom scan rule (the line classifier knows this one). */
export const ibanRule: ScanRule = {
  kind: 'scan',
  type: 'iban',
  // Held from the country code on: released alone, "DE" would leave the rest to the next write.
  partial: /\b[A-Z]{1,2}$|\b[A-Z]{2}\d(?: ?[A-Z0-9])* ?$/,
  scan(text: string, out: SpanSink) {
    IBAN_CANDIDATE.lastIndex = 0;
    for (let m = IBAN_CANDIDATE.exec(text); m !== null; m = IBAN_CANDIDATE.exec(text)) {
      const found = ibanAt(m[0]);
      // Continue right after what was used: the greedy candidate may have run into the next IBAN, and a
      // rejected candidate may hide a real one that starts inside it.
      if (found !== 0) out.add(m.index, m.index + found, 'iban');
      IBAN_CANDIDATE.lastIndex = m.index + (found !== 0 ? found : 2);
    }
  },
};

/** Length of the valid IBAN at the start of a candidate (grouped by single spaces), or 0. */
function ibanAt(candidate: string): number {
  const want = ibanLength(candidate.slice(0, 2));
  if (want === undefined) return 0;
  let compact = '';
  let i = 0;
  for (; i < candidate.length && compact.length < want; i++) {
    const c = candidate.charAt(i);
    if (c !== ' ') compact += c;
  }
  if (compact.length !== want) return 0;
  // The next character must not continue the number (a longer string is something else).
  const next = candidate.charAt(i);
  if (next !== '' && next !== ' ') return 0;
  return ibanValid(compact) ? i : 0;
}

export const piiCommonPack: Pack = {
  name: 'pii-common',
  description: 'e-mail addresses, phone numbers, payment card numbers (Luhn and issuer checked)',
  rules: [email, phone, card],
};

export const piiBrPack: Pack = {
  name: 'pii-br',
  description: 'Brazilian CPF and CNPJ (check digits verified)',
  rules: [cpf, cnpj],
};

export const piiUsPack: Pack = {
  name: 'pii-us',
  description: 'US Social Security Numbers (never-issued ranges rejected)',
  rules: [ssn],
};

export const piiEuPack: Pack = {
  name: 'pii-eu',
  description: 'IBANs (country length and mod-97 verified)',
  rules: [ibanRule],
};

/** The end of a partial line that may be the start of a number still being written. */
export const NUMERIC_PARTIAL = /(?<![A-Za-z0-9_])[+(]?\d[\d .\/()-]*$/;

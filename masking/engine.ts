// Finds everything to mask in a piece of plain text. The work per byte is a handful of native passes
// (one regex for every token prefix and secret keyword, indexOf for rare literals, one regex for numbers,
// one for IBANs) plus a sampled pass over known values; rule code runs only where a pass found something.
// Also answers, for a partial line, from where its end could still become a match.
import { KnownValues } from './known-values.js';
import { ALL_FAMILIES, FAMILY } from './line-classifier/families.js';
import type { TeddyAnchor } from './line-classifier/teddy-tables.js';
import { ibanRule, NUMERIC_PARTIAL } from './rules/pii.js';
import type { AnchoredRule, NumericRule, PassName, Rule, ScanRule, SpanSink } from './rules/types.js';
import { SECRET_TYPE } from './spans.js';

/**
 * Digits with separators, starting with three digits (every numeric shape has a 3-digit group; the island
 * is extended backwards for `+55 11`, `(11)` or `12.345`) and not running into a word, so timestamps and
 * version strings fail inside the regex engine without a call into JavaScript.
 */
const NUMERIC_ISLAND = /\b\d{3}[\d ./()-]{5,}(?!\w)/g;
const MIN_ISLAND_DIGITS = 8;
const PASS_FAMILY: Record<PassName | 'literals', number> = {
  tokens: FAMILY.tokens,
  keywords: FAMILY.keywords,
  'key-suffixes': FAMILY.keywords,
  literals: FAMILY.literals,
};
/** Where findInLines puts what it finds: spans by line, in that line's text. */
export interface LineSpanSink {
  add(line: number, start: number, end: number, type: string): void;
}
/** How far back a partial line is examined for the start of an unfinished match. */
const PARTIAL_LOOKBACK = 512;

interface PrefixRule {
  readonly rule: AnchoredRule;
  readonly sticky: RegExp;
}

interface Pass {
  readonly regex: RegExp;
  /** The family (line-classifier/families.ts) a line must have for this pass to run on it. */
  readonly family: number;
  readonly rules: readonly PrefixRule[];
  /**
   * For the literals pass, whose regex is built from the anchors themselves: the rules by the first
   * character of their anchors, so a hit (`://` in every URL) tries only the rules that can start there
   * instead of every rule of the pass.
   */
  readonly byFirstChar?: ReadonlyMap<number, readonly PrefixRule[]>;
}

export class MatchEngine {
  private readonly known = new KnownValues();
  private readonly passes: Pass[] = [];
  private readonly singleChars: { anchor: string; rule: AnchoredRule }[] = [];
  /**
   * What the line classifier looks for, by family; undefined when a rule cannot be found that way (a
   * one-character anchor other than `@`), and every line then gets every pass.
   */
  private readonly classifierAnchors: TeddyAnchor[] | undefined = [];
  /** Every proper prefix of every anchor ("g", "gh", "ghp" of "ghp_"). */
  private readonly anchorPrefixes = new Set<string>();
  private longestAnchorPrefix = 0;
  private readonly numeric: NumericRule[] = [];
  private readonly scanners: ScanRule[] = [];
  /**
   * Whether a policy's custom rules are among the rules: regexes that may match anywhere, across lines
   * too, so they run over whole text (findCustom), never over the line classifier's lines.
   */
  readonly customRules: boolean = false;
  private readonly partials: RegExp[] = [];

  constructor(rules: readonly Rule[]) {
    const byPass = new Map<PassName | 'literals', { rule: AnchoredRule; source: string }[]>();
    for (const rule of rules) {
      if (rule.kind === 'numeric') {
        this.numeric.push(rule);
        continue;
      }
      if (rule.partial !== undefined) this.partials.push(rule.partial);
      if (rule.kind === 'scan') {
        this.scanners.push(rule);
        // Known by identity, not by type: a policy's custom rule may be named `iban` too.
        if (rule !== ibanRule) this.customRules = true;
        continue;
      }
      const families =
        rule.prefix === undefined
          ? FAMILY.literals
          : [rule.pass ?? 'tokens', ...(rule.morePrefixes ?? []).map((more) => more.pass)].reduce(
              (bits, pass) => bits | PASS_FAMILY[pass],
              0,
            );
      for (const anchor of rule.anchors) {
        const onlyWithAt = rule.lineAlsoHas === '@';
        if (anchor.length > 1) this.classifierAnchors?.push({ text: anchor, family: families, onlyWithAt });
        else if (anchor !== '@') this.classifierAnchors = undefined;
        for (let k = 1; k < anchor.length; k++) this.anchorPrefixes.add(anchor.slice(0, k));
        this.longestAnchorPrefix = Math.max(this.longestAnchorPrefix, anchor.length - 1);
      }
      if (rule.prefix !== undefined) {
        addTo(byPass, rule.pass ?? 'tokens', { rule, source: rule.prefix });
        for (const more of rule.morePrefixes ?? []) addTo(byPass, more.pass, { rule, source: more.prefix });
        continue;
      }
      const multi = rule.anchors.filter((anchor) => anchor.length > 1);
      for (const anchor of rule.anchors) if (anchor.length === 1) this.singleChars.push({ anchor, rule });
      if (multi.length > 0) addTo(byPass, 'literals', { rule, source: multi.map(escapeRegex).join('|') });
    }
    for (const [name, members] of byPass) {
      const rules = members.map(({ rule, source }) => ({ rule, sticky: compiled(source, 'y') }));
      this.passes.push({
        // Sources are top-level alternations, so joining them with | needs no group (groups slow irregexp).
        regex: compiled(members.map(({ source }) => source).join('|'), 'g'),
        family: PASS_FAMILY[name],
        rules,
        ...(name === 'literals' ? { byFirstChar: byFirstChar(rules) } : {}),
      });
    }
    if (this.numeric.length > 0) this.partials.push(NUMERIC_PARTIAL);
  }

  /** Registers the literal forms of a known value; returns how many were new. */
  addSecretForms(forms: readonly string[]): number {
    return this.known.add(forms);
  }

  get secretForms(): number {
    return this.known.size;
  }

  /** Whether a known value spans lines (text split at a line end must then be searched whole). */
  get multilineSecrets(): boolean {
    return this.known.multiline;
  }

  /** The anchors the line classifier needs for these rules, or undefined when it cannot serve them. */
  lineClassifierAnchors(): readonly TeddyAnchor[] | undefined {
    return this.classifierAnchors;
  }

  /** Finds everything to mask in `plain` (text without colour codes). */
  find(plain: string, out: SpanSink): void {
    this.findKnown(plain, out);
    this.findRules(plain, out, ALL_FAMILIES);
  }

  /** A policy's custom rules over `plain` (whole text: they may match across lines), as find runs them. */
  findCustom(plain: string, out: SpanSink): void {
    for (const scanner of this.scanners) if (scanner !== ibanRule) scanner.scan(plain, out);
  }

  /** Known values in `plain`, spans as find gives them. */
  findKnown(plain: string, out: SpanSink): void {
    this.known.scan(plain, (start, end) => out.add(start, end, SECRET_TYPE));
  }

  /**
   * The rules (not known values) over lines the line classifier vetted: `texts[k]` is a line's plain text
   * (its \n included, but for a last line without one) and `families[k]` the passes it needs. Each pass
   * runs over the lines of its family joined, in order, and its spans are given back by line. Returns false
   * when that cannot stand in for searching the text whole, having given nothing: a span ran past the end
   * of its line (rules never match across lines, so the joined text was not what it ran over) or a key
   * block starts. A policy's custom rules are not run here: see findCustom.
   */
  findInLines(texts: readonly string[], families: readonly number[], out: LineSpanSink): boolean {
    let union = 0;
    for (const family of families) union |= family;
    const found: { line: number; start: number; end: number; type: string }[] = [];
    let valid = true;
    const joins = new Map<number, { text: string; sink: SpanSink }>();
    const joinOf = (family: number): { text: string; sink: SpanSink } => {
      let join = joins.get(family);
      if (join !== undefined) return join;
      const lines: number[] = [];
      const starts: number[] = [];
      const pieces: string[] = [];
      let length = 0;
      for (let k = 0; k < texts.length; k++) {
        if ((families[k]! & family) === 0) continue;
        lines.push(k);
        starts.push(length);
        pieces.push(texts[k]!);
        length += texts[k]!.length;
      }
      const sink: SpanSink = {
        add: (start, end, type) => {
          if (end <= start) return;
          const j = lastAtOrBefore(starts, start);
          const line = lines[j]!;
          const from = start - starts[j]!;
          const to = end - starts[j]!;
          // Only a line's last character can be its \n: a span within the line ends by then.
          if (to > texts[line]!.length) valid = false;
          else found.push({ line, start: from, end: to, type });
        },
        openBlock: false,
      };
      join = { text: pieces.length === 1 ? pieces[0]! : pieces.join(''), sink };
      joins.set(family, join);
      return join;
    };
    for (const pass of this.passes) {
      if ((pass.family & union) === 0) continue;
      const join = joinOf(pass.family);
      this.runPass(pass, join.text, join.sink);
    }
    if ((union & FAMILY.email) !== 0) {
      const join = joinOf(FAMILY.email);
      this.findSingleChars(join.text, join.sink);
    }
    if (this.numeric.length > 0 && (union & FAMILY.numbers) !== 0) {
      const join = joinOf(FAMILY.numbers);
      this.findNumbers(join.text, join.sink);
    }
    if (this.scanners.includes(ibanRule) && (union & FAMILY.iban) !== 0) {
      const join = joinOf(FAMILY.iban);
      ibanRule.scan(join.text, join.sink);
    }
    for (const join of joins.values()) if (join.sink.openBlock) valid = false;
    if (!valid) return false;
    for (const span of found) out.add(span.line, span.start, span.end, span.type);
    return true;
  }

  /** The rules of `families` over `text`, known values aside. */
  private findRules(text: string, out: SpanSink, families: number): void {
    for (const pass of this.passes) if ((pass.family & families) !== 0) this.runPass(pass, text, out);
    if ((families & FAMILY.email) !== 0) this.findSingleChars(text, out);
    if (this.numeric.length > 0 && (families & FAMILY.numbers) !== 0) this.findNumbers(text, out);
    for (const scanner of this.scanners) {
      if (scanner !== ibanRule || (families & FAMILY.iban) !== 0) scanner.scan(text, out);
    }
  }

  private runPass({ regex, rules: all, byFirstChar }: Pass, text: string, out: SpanSink): void {
    regex.lastIndex = 0;
    for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
      const rules = byFirstChar?.get(text.charCodeAt(m.index)) ?? all;
      if (rules.length === 1 && rules === all) {
        rules[0]!.rule.match(text, m.index, out);
        continue;
      }
      for (const { rule, sticky } of rules) {
        sticky.lastIndex = m.index;
        if (sticky.test(text)) rule.match(text, m.index, out);
      }
    }
  }

  private findSingleChars(text: string, out: SpanSink): void {
    for (const { anchor, rule } of this.singleChars) {
      for (let at = text.indexOf(anchor); at !== -1; at = text.indexOf(anchor, at + 1))
        rule.match(text, at, out);
    }
  }

  private findNumbers(plain: string, out: SpanSink): void {
    const n = plain.length;
    NUMERIC_ISLAND.lastIndex = 0;
    for (let m = NUMERIC_ISLAND.exec(plain); m !== null; m = NUMERIC_ISLAND.exec(plain)) {
      // Extend backwards over "+55 11 " or "12." to the earliest place a number can start: after a
      // non-word character, at a digit, + or (.
      let lo = m.index;
      while (lo > 0 && isIslandChar(plain.charCodeAt(lo - 1))) lo--;
      // When the island's head is glued to a word (`v1.854 4111 1111 1111 1111`, `T.854 202.145.664-12`),
      // a number may still start later inside it: skipping the whole island let a card or CPF through.
      const matchEnd = m.index + m[0].length;
      let start = -1;
      for (let s = lo; s < matchEnd; s++) {
        if (canStartNumber(plain, s)) {
          start = s;
          break;
        }
      }
      if (start === -1) continue;
      let end = matchEnd;
      while (end > start && !isDigit(plain.charCodeAt(end - 1))) end--;
      if (end < n && isWord(plain.charCodeAt(end))) continue;
      // Likewise the head of one (`26-gYy...`): the last group belongs to what follows, not to the number.
      if (end + 1 < n && isJoiner(plain.charCodeAt(end)) && isWord(plain.charCodeAt(end + 1))) {
        while (end > start && isDigit(plain.charCodeAt(end - 1))) end--;
        while (end > start && !isDigit(plain.charCodeAt(end - 1))) end--;
        if (end <= start) continue;
      }
      let digits = 0;
      for (let i = start; i < end; i++) if (isDigit(plain.charCodeAt(i))) digits++;
      if (digits < MIN_ISLAND_DIGITS) continue;
      const island = plain.slice(start, end);
      for (const rule of this.numeric) if (digits >= rule.minDigits) rule.matchIsland(island, start, out);
    }
  }

  /**
   * For a partial line: the earliest index from which its end may be the beginning of a known value or of
   * a rule match that the next write completes. Text before it can be released now; the rest is held.
   */
  holdStart(plain: string): number {
    const n = plain.length;
    let hold = this.known.prefixStart(plain);
    const from = Math.max(0, n - PARTIAL_LOOKBACK);
    const tail = plain.slice(from);
    for (const partial of this.partials) {
      const m = partial.exec(tail);
      if (m !== null && m[0].length > 0) hold = Math.min(hold, from + m.index);
    }
    // The end of the line may be the first characters of an anchor ("gh" of "ghp_"). One or two characters
    // count only where a name could start, so an ordinary word ending in "g" or "to" is not held back.
    for (let k = Math.min(this.longestAnchorPrefix, n); k >= 1 && n - k < hold; k--) {
      if (!this.anchorPrefixes.has(plain.slice(n - k))) continue;
      if (k < 3 && n > k && isLowerOrDigit(plain.charCodeAt(n - k - 1))) continue;
      hold = n - k;
      break;
    }
    return hold;
  }
}

/**
 * Compiled regexes by source: a masker is created per step and per database session, and compiling the
 * same dozen regexes each time would dominate short maskings. Each use sets lastIndex first and runs
 * synchronously, so sharing them is safe.
 */
const regexCache = new Map<string, RegExp>();

function compiled(source: string, flags: string): RegExp {
  const key = `${flags}/${source}`;
  let regex = regexCache.get(key);
  if (regex === undefined) {
    regex = new RegExp(source, flags);
    regexCache.set(key, regex);
  }
  return regex;
}

function byFirstChar(rules: readonly PrefixRule[]): Map<number, PrefixRule[]> {
  const map = new Map<number, PrefixRule[]>();
  for (const entry of rules) {
    for (const code of new Set(entry.rule.anchors.map((anchor) => anchor.charCodeAt(0)))) {
      addTo(map, code, entry);
    }
  }
  return map;
}

/** The index of the last entry of the ascending `values` that is at most `position` (binary search). */
function lastAtOrBefore(values: readonly number[], position: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (values[mid]! <= position) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function addTo<K, T>(map: Map<K, T[]>, key: K, value: T): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function escapeRegex(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Digits and the separators numbers are written with: space . / ( ) - + */
function isIslandChar(c: number): boolean {
  return isDigit(c) || c === 32 || c === 46 || c === 47 || c === 40 || c === 41 || c === 45 || c === 43;
}

/**
 * A number may start at a digit, + or ( that does not continue a word, nor the tail of a hyphenated or
 * dotted identifier (the last group of a UUID, `build-2024...`), which is part of that identifier.
 */
function canStartNumber(plain: string, s: number): boolean {
  const c = plain.charCodeAt(s);
  if (!(isDigit(c) || c === 43 || c === 40)) return false;
  if (s === 0) return true;
  const before = plain.charCodeAt(s - 1);
  if (isWord(before)) return false;
  return !(s >= 2 && isJoiner(before) && isWord(plain.charCodeAt(s - 2)));
}

function isJoiner(c: number): boolean {
  return c === 45 || c === 46;
}

function isLowerOrDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 122);
}

function isWord(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

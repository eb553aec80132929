// The shape every masking rule has. A rule either starts from literal anchors (found for all rules at
// once by the literal index, so a rule costs nothing on text that lacks its anchor) or scans the text
// itself when no literal can anchor it (numbers, IBANs, custom patterns).

/** Where matches are collected; `type` is what the replacement names, e.g. `[MASKED:email]`. */
export interface SpanSink {
  add(start: number, end: number, type: string): void;
  /** Set by the private-key rule when a key block starts but does not end within the text. */
  openBlock: boolean;
}

/** The combined regex passes prefixes join (see AnchoredRule.pass). */
export type PassName = 'tokens' | 'keywords' | 'key-suffixes';

export interface AnchoredRule {
  readonly kind: 'anchored';
  readonly type: string;
  /**
   * Literal strings a match starts with (or contains, for `@` and `://`). Without `prefix`, they are found
   * by one regex shared by all such rules (a single character by indexOf) and `match` is called at each
   * occurrence. They also decide what a partial line holds back.
   */
  readonly anchors: readonly string[];
  /**
   * A regex source for the start of a match. The engine ORs the prefixes of all rules into one regex, so a
   * dozen token shapes cost one pass instead of a dozen; `match` is called where this rule's prefix matched.
   */
  readonly prefix?: string;
  /**
   * Which combined regex the prefix joins. Regex alternations get slow when their branches start with many
   * different characters, so token prefixes and secret keywords are two passes rather than one.
   */
  readonly pass?: PassName;
  /**
   * More prefixes of the same rule that go to other passes. Short branches (`Key`) in a regex of long words
   * stop irregexp from skipping ahead: two passes, one of long words and one of short ones, cost less than
   * the combined one (measured in bench/masking-passes.ts). The passes must not find overlapping matches.
   */
  readonly morePrefixes?: readonly { readonly pass: PassName; readonly prefix: string }[];
  match(text: string, at: number, out: SpanSink): void;
  /** Matches (with `$`) the end of a partial line that may be the start of a match still being written. */
  readonly partial?: RegExp;
  /**
   * A character every match also holds, after its anchor and on the same line (`@` in
   * `scheme://user:password@host`): the line classifier passes over lines that have the anchor but not it.
   */
  readonly lineAlsoHas?: '@';
}

export interface ScanRule {
  readonly kind: 'scan';
  readonly type: string;
  scan(text: string, out: SpanSink): void;
  readonly partial?: RegExp;
}

/**
 * A rule for digit sequences (cards, phones, national ids). All of them share one pass that finds
 * "numeric islands" (digits with separators, bounded by non-word characters) and are only asked about
 * islands with enough digits, which keeps the many short numbers of a CI log (timestamps, versions,
 * durations) almost free.
 */
export interface NumericRule {
  readonly kind: 'numeric';
  readonly type: string;
  /** The fewest digits a match has: islands with fewer are not offered to the rule. */
  readonly minDigits: number;
  /** Called with one island; `offset` is its index in the text. */
  matchIsland(island: string, offset: number, out: SpanSink): void;
}

export type Rule = AnchoredRule | ScanRule | NumericRule;

/** A rule pack as policy names it. */
export interface Pack {
  readonly name: string;
  readonly description: string;
  readonly rules: readonly Rule[];
}

/** Runs a sticky regex at `at`; returns the match or null. */
export function stickyAt(regex: RegExp, text: string, at: number): RegExpExecArray | null {
  regex.lastIndex = at;
  return regex.exec(text);
}

const WORD = /[A-Za-z0-9_]/;

/** True when the character before `at` cannot continue a word, so a token may start at `at`. */
export function wordStart(text: string, at: number): boolean {
  return at === 0 || !WORD.test(text.charAt(at - 1));
}

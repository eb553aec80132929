// The masker every output path shares (shell, Postgres, SSH, server, audit writer). Pure: no I/O, no
// streams, no timers; the adapters feed it text and decide when to call flush.
import { containsAddMask, mayBeAddMask, parseAddMask } from './add-mask.js';
import { AnsiMap } from './ansi.js';
import { alignLineStarts, maskClassifiedLines } from './classified-lines.js';
import { secretPieces, secretVariants } from './encodings.js';
import { MatchEngine } from './engine.js';
import { createLineClassifier, type Classified, type LineClassifier } from './line-classifier/classifier.js';
import { ALL_FAMILIES, FAMILY } from './line-classifier/families.js';
import { Utf8Stream } from './utf8-stream.js';
import { compileCustomRule, DEFAULT_PACKS, resolvePacks, type CustomRule } from './packs.js';
import { maskSegment, type Counts } from './segment.js';
import { replacementFor } from './spans.js';

export { DEFAULT_PACKS, PACK_NAMES } from './packs.js';
export type { CustomRule } from './packs.js';
export { MIN_SECRET_LENGTH } from './encodings.js';

export interface MaskerOptions {
  /** Rule packs by name; default: all of DEFAULT_PACKS. An empty list masks known values only. */
  packs?: readonly string[];
  /** Known secret values (action inputs, brokered credentials). */
  secrets?: readonly string[];
  /** Custom rules from policy. */
  rules?: readonly CustomRule[];
  /**
   * Classify raw output bytes by line first (StreamMasker.writeUtf8), so lines nothing can match in skip
   * the regex passes. Default true; false is for measuring and for tests that compare both paths.
   */
  lineClassifier?: boolean;
}

export interface Masker {
  /**
   * Registers a known value: the value, each line of a multi-line value, and their encodings. Values (and
   * lines) shorter than MIN_SECRET_LENGTH (4) characters or only whitespace are ignored, as masking them
   * would hide ordinary words and numbers all over the log.
   */
  addSecret(value: string): void;
  /** One-shot masking of complete text (SQL, PR comments, database values). */
  maskText(text: string): string;
  /** Masked values by type so far, over maskText and every stream (types, never values). */
  counts(): Readonly<Record<string, number>>;
  /** An independent stream state sharing this masker's secrets and counts. */
  stream(): StreamMasker;
}

export interface MaskedOutput {
  /** What goes to the GitHub runner's stdout. */
  runner: string;
  /** What goes to recordings and the server. */
  record: string;
}

export interface StreamMasker {
  /**
   * Feeds output; returns what is safe to release now. Complete lines (ended by \n or \r) are released at
   * once; a partial line is held. `runner` and `record` differ only for `::add-mask::VALUE` lines: the
   * value is registered (for this and every later write), `runner` keeps the command verbatim (the runner
   * needs it and never prints it), `record` has the value masked.
   */
  write(chunk: string): MaskedOutput;
  /**
   * The same as write(text) for the next chunk of UTF-8 output, decoded here as TextDecoder in streaming
   * mode would (a character split across chunks waits for the rest; flush ends it). Masks faster: the
   * bytes are classified by line first, lines where no rule can start are released without the regex
   * passes, and the others get only the passes they need. Optional: adapters without bytes call write.
   */
  writeUtf8?(bytes: Uint8Array): MaskedOutput;
  /**
   * Releases the held partial line early (the adapter calls this after 100 ms without a newline), except
   * a tail that may be the start of a known value or of a rule match the next write completes, and except
   * a line that is or may become `::add-mask::`. Nothing whole is ever exposed by releasing early.
   */
  flushPartial(): MaskedOutput;
  /** Releases everything held back, masked (at exit). */
  flush(): MaskedOutput;
  /** True while something is held back. */
  pending(): boolean;
}

/** A held partial line longer than this is released (as by flushPartial) so memory stays bounded. */
export const MAX_HELD_CHARS = 64 * 1024;

const EMPTY: MaskedOutput = Object.freeze({ runner: '', record: '' });
const KEY_BLOCK_END = /-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----/;
/** Base64 lines, blank lines and RFC 1421 / OpenPGP armour headers (`Proc-Type: 4,ENCRYPTED`). */
const KEY_BODY_LINE = /^(?:[A-Za-z0-9+/=]*|[A-Z][A-Za-z0-9-]*: .*)$/;
const KEY_MASK = replacementFor('private-key');

/** Per-stream line state: whether we are inside a private key block. */
interface LineState {
  inKeyBlock: boolean;
  /**
   * Plain text of the current line already released by a partial-line release (at most CONTEXT_CHARS),
   * so rules can still see a match that began there. Empty at the start of a line.
   */
  context: string;
}

const CONTEXT_CHARS = 256;
/**
 * What makes the classifier flag a line as `special`: an `::add-mask::` command, whose name the runner
 * reads in any case (so `::ad` in each of its four cases: every spelling starts with one, and `std::alloc`
 * or `ActiveRecord::Base` in a log does not send the write down the slow path), or the start of a private
 * key block, both of which are handled across lines.
 */
const SPECIAL_ANCHORS = ['::ad', '::aD', '::Ad', '::AD', '-----BEGIN'].map((text) => ({
  text,
  family: FAMILY.special,
}));

class MaskerCore implements Masker {
  private readonly engine: MatchEngine;
  private readonly hits: Counts = Object.create(null) as Counts;
  /**
   * Made on the first write of bytes (a masker used only for maskText, as per SQL statement, never needs
   * one); null when the rules or this runtime do not allow it, and every line then gets every pass.
   */
  private lineClassifier: LineClassifier | null | undefined;
  constructor(options: MaskerOptions) {
    const rules = resolvePacks(options.packs ?? DEFAULT_PACKS);
    for (const custom of options.rules ?? []) rules.push(compileCustomRule(custom));
    this.engine = new MatchEngine(rules);
    if (options.lineClassifier === false) this.lineClassifier = null;
    for (const secret of options.secrets ?? []) this.addSecret(secret);
  }

  classifier(): LineClassifier | null {
    if (this.lineClassifier === undefined) {
      const anchors = this.engine.lineClassifierAnchors();
      this.lineClassifier =
        anchors === undefined ? null : createLineClassifier([...anchors, ...SPECIAL_ANCHORS]);
    }
    return this.lineClassifier;
  }

  addSecret(value: string): void {
    if (typeof value !== 'string') throw new TypeError('addSecret expects a string');
    this.engine.addSecretForms(secretPieces(value).flatMap((piece) => secretVariants(piece)));
  }

  maskText(text: string): string {
    if (typeof text !== 'string') throw new TypeError('maskText expects a string');
    return this.maskLines(text, { inKeyBlock: false, context: '' });
  }

  counts(): Readonly<Record<string, number>> {
    return Object.freeze({ ...this.hits });
  }

  stream(): StreamMasker {
    return new MaskingStream(this);
  }

  /** Masks complete text; with `commands`, `::add-mask::` lines are honoured and kept for the runner. */
  maskComplete(text: string, state: LineState, commands: boolean): MaskedOutput {
    if (!commands || !containsAddMask(text)) {
      const masked = this.maskLines(text, state);
      return { runner: masked, record: masked };
    }
    let runner = '';
    let record = '';
    let batch = '';
    for (const line of splitLines(text)) {
      const command = parseAddMask(line);
      if (command === undefined) {
        batch += line;
        continue;
      }
      // Lines before the command were written before the value was known to be secret, as the runner does.
      const masked = this.maskLines(batch, state);
      batch = '';
      this.addSecret(command.value);
      runner += masked + line;
      record += masked + command.prefix + (command.data === '' ? '' : '***') + command.terminator;
    }
    const masked = this.maskLines(batch, state);
    return { runner: runner + masked, record: record + masked };
  }

  /**
   * Masks `text.slice(from, to)`, complete lines the classifier saw whole, beginning with line `firstLine`
   * of `classified`: only the lines that have a family, with only the passes they need. Text the classifier
   * cannot vouch for line by line (an `::add-mask::` command, a private key block, a line partly released
   * before) takes the path of maskComplete.
   */
  maskClassified(
    text: string,
    from: number,
    to: number,
    classified: Classified,
    firstLine: number,
    state: LineState,
  ): MaskedOutput {
    const special = (classified.union & FAMILY.special) !== 0;
    const masked =
      special || state.inKeyBlock || state.context !== ''
        ? undefined
        : maskClassifiedLines(text, from, to, classified, firstLine, this.engine, this.hits);
    if (masked === undefined) return this.maskComplete(text.slice(from, to), state, true);
    return { runner: masked, record: masked };
  }

  /**
   * Whether the line held from earlier writes may be masked apart from the rest of the write: not when a
   * known value spans lines, or a policy's custom rules (which may) are on, as masking the text whole would
   * find a match that spans the two. (A key block that starts there is carried over by the line state.)
   */
  mayMaskApart(held: string): boolean {
    return held === '' || !(this.engine.multilineSecrets || this.engine.customRules);
  }

  /** Masks a partial line, holding back a tail that could still grow into a match. */
  maskPartial(text: string, state: LineState, overflow: boolean): { output: MaskedOutput; rest: string } {
    if (state.inKeyBlock) {
      if (!overflow) return { output: EMPTY, rest: text };
      return { output: { runner: KEY_MASK, record: KEY_MASK }, rest: '' };
    }
    if (!overflow && mayBeAddMask(text)) return { output: EMPTY, rest: text };
    const result = maskSegment(text, this.engine, this.hits, true, state.context);
    state.context = (state.context + result.released).slice(-CONTEXT_CHARS);
    return { output: { runner: result.text, record: result.text }, rest: result.rest };
  }

  private maskLines(text: string, state: LineState): string {
    if (text === '') return '';
    const context = state.context;
    state.context = '';
    const map = new AnsiMap(text);
    if (!state.inKeyBlock && !startsKeyBlock(context, map.plain)) {
      return maskSegment(map, this.engine, this.hits, false, context).text;
    }
    // A private key block spans lines, so this text is handled line by line: lines as \n ends them, as
    // everywhere else (a \r inside one is a progress bar's, and the rules see the whole line).
    let out = '';
    let first = true;
    for (const line of text.match(/[^\n]*\n|[^\n]+$/g) ?? []) {
      const body = line.replace(/(?:\r\n|\n|\r)$/, '');
      const terminator = line.slice(body.length);
      out += this.maskLine(body, state, first ? context : '') + terminator;
      first = false;
    }
    return out;
  }

  private maskLine(line: string, state: LineState, context = ''): string {
    if (state.inKeyBlock) {
      const map = new AnsiMap(line);
      const plain = map.plain;
      const end = KEY_BLOCK_END.exec(plain);
      if (end !== null) {
        state.inKeyBlock = false;
        const rawAfter = map.rawEndIndex(end.index + end[0].length);
        return KEY_MASK + this.maskLine(line.slice(rawAfter), state);
      }
      if (KEY_BODY_LINE.test(plain.trim())) return KEY_MASK;
      state.inKeyBlock = false;
    }
    const result = maskSegment(line, this.engine, this.hits, false, context);
    if (result.openBlock) state.inKeyBlock = true;
    return result.text;
  }
}

class MaskingStream implements StreamMasker {
  private held = '';
  private readonly state: LineState = { inKeyBlock: false, context: '' };
  private readonly utf8 = new Utf8Stream();

  constructor(private readonly core: MaskerCore) {}

  write(chunk: string): MaskedOutput {
    if (typeof chunk !== 'string') throw new TypeError('StreamMasker.write expects a string');
    return this.writeText(chunk, null);
  }

  writeUtf8(bytes: Uint8Array): MaskedOutput {
    if (!(bytes instanceof Uint8Array)) throw new TypeError('StreamMasker.writeUtf8 expects bytes');
    const classified = this.core.classifier()?.classify(bytes) ?? null;
    const text = this.utf8.decode(bytes, classified?.wide);
    // Line starts that do not fit the text (invalid UTF-8) leave it to the path without the classifier.
    return this.writeText(
      text,
      classified !== null && alignLineStarts(classified.starts, text) ? classified : null,
    );
  }

  private writeText(chunk: string, classified: Classified | null): MaskedOutput {
    if (chunk === '') return EMPTY;
    const lastNewline = chunk.lastIndexOf('\n');
    // A \r (progress bars) also ends a line; only the tail after the last \n needs looking at.
    const lineEnd = chunk.indexOf('\r', lastNewline + 1) === -1 ? lastNewline : chunk.lastIndexOf('\r');
    let output = EMPTY;
    if (lineEnd === -1) {
      this.held += chunk;
    } else if (classified === null) {
      output = this.core.maskComplete(this.held + chunk.slice(0, lineEnd + 1), this.state, true);
      this.held = chunk.slice(lineEnd + 1);
    } else if (!this.core.mayMaskApart(this.held)) {
      // Masked whole with the line held from earlier writes, as without the classifier; that line, which
      // the classifier did not see whole, gets every pass.
      const text = this.held + chunk.slice(0, lineEnd + 1);
      const lines = withHeldLine(classified, text, this.held.length);
      output = this.core.maskClassified(text, 0, text.length, lines, 0, this.state);
      this.held = chunk.slice(lineEnd + 1);
    } else {
      // A line begun in an earlier write was not seen whole by the classifier: it is masked on its own with
      // every pass, and the lines after it with what the classifier found (without copying the chunk).
      let from = 0;
      if (this.held !== '') {
        const firstNewline = chunk.indexOf('\n');
        from = firstNewline === -1 || firstNewline >= lineEnd ? lineEnd + 1 : firstNewline + 1;
        output = this.core.maskComplete(this.held + chunk.slice(0, from), this.state, true);
      }
      if (from <= lineEnd) {
        const firstLine = from === 0 ? 0 : 1;
        output = join(
          output,
          this.core.maskClassified(chunk, from, lineEnd + 1, classified, firstLine, this.state),
        );
      }
      this.held = chunk.slice(lineEnd + 1);
    }
    if (this.held.length > MAX_HELD_CHARS) output = join(output, this.releasePartial(true));
    return output;
  }

  flushPartial(): MaskedOutput {
    return this.releasePartial(false);
  }

  flush(): MaskedOutput {
    // A character cut off by the end of the bytes (U+FFFD), as TextDecoder ends a stream.
    const rest = this.utf8.end();
    const output = rest === '' ? EMPTY : this.writeText(rest, null);
    if (this.held === '') return output;
    const text = this.held;
    this.held = '';
    return join(output, this.core.maskComplete(text, this.state, true));
  }

  pending(): boolean {
    return this.held !== '';
  }

  private releasePartial(overflow: boolean): MaskedOutput {
    if (this.held === '') return EMPTY;
    const { output, rest } = this.core.maskPartial(this.held, this.state, overflow);
    // An overflowing line that holds everything back is released whole rather than grow without bound.
    if (overflow && rest.length > MAX_HELD_CHARS) {
      this.held = '';
      return join(output, this.core.maskComplete(rest, this.state, false));
    }
    this.held = rest;
    return output;
  }
}

/**
 * Whether text may start a private key block: `-----BEGIN` in its plain text (colour codes removed), or
 * begun in what was already released of its first line (`context`, plain text too).
 */
function startsKeyBlock(context: string, plain: string): boolean {
  if (plain.indexOf('-----BEGIN') !== -1) return true;
  return context !== '' && `${context.slice(-9)}${plain.slice(0, 10)}`.indexOf('-----BEGIN') !== -1;
}

/** Lines with their terminators (\n, \r\n or \r); a last line without one is included. */
function splitLines(text: string): string[] {
  return text.match(/[^\r\n]*(?:\r\n|\n|\r)|[^\r\n]+$/g) ?? [];
}

/**
 * The classifier's lines of a write, for `text`: the line `held` characters long held from earlier writes,
 * then the write. Its first line, partly unseen, gets every family (and `special` if it holds a command or
 * a key block's start, as maskComplete would find them).
 */
function withHeldLine(classified: Classified, text: string, held: number): Classified {
  const starts = classified.starts.map((start, i) => (i === 0 ? 0 : start + held));
  const first = text.slice(0, starts.length > 1 ? starts[1] : text.length);
  const escape = first.indexOf('\x1b') !== -1;
  const special = containsAddMask(first) || startsKeyBlock('', escape ? new AnsiMap(first).plain : first);
  const families = classified.families.slice();
  families[0] = ALL_FAMILIES | (escape ? FAMILY.ansi : 0) | (special ? FAMILY.special : 0);
  return { families, starts, union: classified.union | families[0], wide: classified.wide };
}

function join(a: MaskedOutput, b: MaskedOutput): MaskedOutput {
  if (a === EMPTY) return b;
  if (b === EMPTY) return a;
  return { runner: a.runner + b.runner, record: a.record + b.record };
}

/** Creates a masker. Unknown pack names throw a TypeError naming the valid ones. */
export function createMasker(options: MaskerOptions = {}): Masker {
  return new MaskerCore(options);
}

// `::add-mask::VALUE` workflow command lines, as the GitHub runner reads them.

/** A whole line that is an add-mask command (leading blanks allowed; the command name is case-insensitive). */
const ADD_MASK_LINE = /^([ \t]*::add-mask::)([^\r\n]*)(\r\n|\n|\r)?$/i;
const ADD_MASK_ANYWHERE = /::add-mask::/i;
const COMMAND = '::add-mask::';

export interface AddMaskLine {
  /** Everything up to and including `::add-mask::`. */
  readonly prefix: string;
  /** The value as written (escaped). */
  readonly data: string;
  readonly terminator: string;
  /** The value the runner registers: `%25`, `%0D`, `%0A` unescaped. */
  readonly value: string;
}

export function parseAddMask(line: string): AddMaskLine | undefined {
  const m = ADD_MASK_LINE.exec(line);
  if (m === null) return undefined;
  const data = m[2] ?? '';
  return { prefix: m[1] ?? '', data, terminator: m[3] ?? '', value: unescapeCommandData(data) };
}

/** Cheap test before splitting text into lines to look for commands. */
export function containsAddMask(text: string): boolean {
  return text.indexOf('::') !== -1 && ADD_MASK_ANYWHERE.test(text);
}

/**
 * True when a partial line is, or may still become, an add-mask command: it must not be released before
 * its value is known, or the recording would show the value the script is asking to hide.
 */
export function mayBeAddMask(partialLine: string): boolean {
  const start = partialLine.replace(/^[ \t]+/, '').toLowerCase();
  return start.length > 0 && (start.startsWith(COMMAND) || COMMAND.startsWith(start));
}

function unescapeCommandData(data: string): string {
  return data.replace(/%(25|0D|0A)/gi, (_all, code: string) => {
    const upper = code.toUpperCase();
    return upper === '25' ? '%' : upper === '0D' ? '\r' : '\n';
  });
}

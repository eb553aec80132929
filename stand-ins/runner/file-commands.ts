// Parsers for the runner's file commands (GITHUB_OUTPUT, GITHUB_STATE, GITHUB_ENV, GITHUB_PATH), following
// actions/runner's FileCommandManager: `NAME=VALUE` lines and `NAME<<DELIMITER` heredocs (the form
// @actions/core writes), LF line ends, a heredoc that never closes is an error. Pure.

export class FileCommandError extends Error {
  override readonly name = 'FileCommandError';
}

/** Parses a key-value file command. Later keys win, as the runner applies them in order. */
export function parseKeyValueFile(text: string): Map<string, string> {
  const values = new Map<string, string>();
  let index = 0;
  const readLine = (): { line: string; newline: string } | undefined => {
    if (index >= text.length) return undefined;
    const start = index;
    const lf = text.indexOf('\n', index);
    if (lf < 0) {
      index = text.length;
      return { line: text.slice(start), newline: '' };
    }
    index = lf + 1;
    return { line: text.slice(start, lf), newline: '\n' };
  };

  for (let next = readLine(); next !== undefined; next = readLine()) {
    const { line } = next;
    if (line === '') continue;
    const equals = line.indexOf('=');
    const heredoc = line.indexOf('<<');
    if (equals >= 0 && (heredoc < 0 || equals < heredoc)) {
      const name = line.slice(0, equals);
      if (name === '') throw new FileCommandError(`Invalid format '${line}'. Name must not be empty`);
      values.set(name, line.slice(equals + 1));
    } else if (heredoc >= 0 && (equals < 0 || heredoc < equals)) {
      const name = line.slice(0, heredoc);
      const delimiter = line.slice(heredoc + 2);
      if (name === '' || delimiter === '') {
        throw new FileCommandError(
          `Invalid format '${line}'. Name must not be empty and delimiter must not be empty`,
        );
      }
      const start = index;
      let end = index;
      let value = readLine();
      while (value?.line !== delimiter) {
        if (value === undefined)
          throw new FileCommandError(`Invalid value. Matching delimiter not found '${delimiter}'`);
        end = index - value.newline.length;
        value = readLine();
      }
      values.set(name, end > start ? text.slice(start, end) : '');
    } else {
      throw new FileCommandError(`Invalid format '${line}'`);
    }
  }
  return values;
}

/** GITHUB_PATH: one directory a line, empty lines skipped. */
export function parsePathFile(text: string): string[] {
  return text.split('\n').filter((line) => line !== '');
}

/**
 * Applies new GITHUB_PATH entries to the runner's prepend list: a repeated entry moves to the end, and the
 * list is used reversed (latest first), as the runner's PrependPath does.
 */
export function addToPrependPath(prependPath: readonly string[], added: readonly string[]): string[] {
  const next = [...prependPath];
  for (const entry of added) {
    const at = next.indexOf(entry);
    if (at >= 0) next.splice(at, 1);
    next.push(entry);
  }
  return next;
}

export function pathValue(prependPath: readonly string[], basePath: string | undefined): string {
  const parts = [...prependPath].reverse();
  if (basePath !== undefined && basePath !== '') parts.push(basePath);
  return parts.join(':');
}

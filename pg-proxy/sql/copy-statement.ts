// The parts of a COPY statement the proxy needs to mask or refuse an export: direction, what is copied,
// the column list and the data format.

import type { Token } from './tokenize.js';

export interface CopyStatement {
  readonly direction: 'to' | 'from';
  /** STDOUT / STDIN (data crosses the proxy) rather than a server-side file or program. */
  readonly client: boolean;
  /** The SELECT that describes the exported columns: the query of COPY (query), or one built from the table. */
  readonly source: string;
  readonly format: 'text' | 'csv' | 'binary';
  /** True when DELIMITER is set: the proxy then cannot cut text rows into columns. */
  readonly customDelimiter: boolean;
}

export function parseCopyStatement(text: string, tokens: readonly Token[]): CopyStatement | undefined {
  if (tokens[0]?.value !== 'copy') return undefined;
  let k = 1;
  let source: string;
  const open = tokens[k];
  if (open?.type === 'punct' && open.value === '(') {
    const close = tokens.findIndex((t, i) => i > k && t.type === 'punct' && t.value === ')' && t.depth === 0);
    if (close < 0) return undefined;
    source = text.slice(open.end, tokens[close]!.start);
    k = close + 1;
  } else {
    const nameStart = tokens[k];
    while (
      tokens[k] !== undefined &&
      (tokens[k]!.type === 'word' || tokens[k]!.type === 'ident' || tokens[k]!.value === '.')
    ) {
      if (tokens[k]!.type === 'word' && (tokens[k]!.value === 'to' || tokens[k]!.value === 'from')) break;
      k++;
    }
    if (nameStart === undefined || k === 1) return undefined;
    const table = text.slice(nameStart.start, tokens[k - 1]!.end);
    let columns = '*';
    if (tokens[k]?.type === 'punct' && tokens[k]!.value === '(') {
      const close = tokens.findIndex(
        (t, i) => i > k && t.type === 'punct' && t.value === ')' && t.depth === 0,
      );
      if (close < 0) return undefined;
      columns = text.slice(tokens[k]!.end, tokens[close]!.start);
      k = close + 1;
    }
    source = `SELECT ${columns} FROM ${table}`;
  }
  const dir = tokens[k];
  if (dir?.type !== 'word' || (dir.value !== 'to' && dir.value !== 'from')) return undefined;
  const where = tokens[k + 1];
  const client = where?.type === 'word' && (where.value === 'stdout' || where.value === 'stdin');
  const rest = tokens.slice(k + 2);
  const words = rest
    .filter((t) => t.type === 'word' || t.type === 'string')
    .map((t) => t.value.replace(/^'|'$/g, '').toLowerCase());
  const format = words.includes('binary') ? 'binary' : words.includes('csv') ? 'csv' : 'text';
  return { direction: dir.value, client, source, format, customDelimiter: words.includes('delimiter') };
}

/**
 * Cuts a text-format COPY row into its fields. Text format escapes a tab inside a value as \t, so a raw
 * tab always separates fields and a raw newline always ends the row.
 */
export function splitCopyTextRow(row: string): string[] {
  return row.split('\t');
}

// Splits a multi-statement string the way the server will execute it: at top-level semicolons, never
// inside a string, quoted identifier, comment or dollar-quoted body, nor inside a SQL-standard function
// body (BEGIN ATOMIC ... END). Empty statements are dropped, as the server drops them.

import { tokenize, type Token } from './tokenize.js';

export interface SplitStatement {
  /** The statement's text, trimmed, without its terminating semicolon. */
  readonly text: string;
  /** Its tokens, offsets relative to `text`. */
  readonly tokens: readonly Token[];
}

/** One statement as a run of a string's tokens: tokens[first] up to, not including, tokens[end]. */
export interface StatementRange {
  readonly first: number;
  /** The index of the terminating semicolon, or the number of tokens for the last statement. */
  readonly end: number;
}

export function splitStatements(sql: string): SplitStatement[] {
  const tokens = tokenize(sql);
  return statementRanges(tokens).map((range) => {
    const start = tokens[range.first]!.start;
    return {
      text: statementText(sql, tokens, range),
      tokens: tokens
        .slice(range.first, range.end)
        .map((t) => ({ ...t, start: t.start - start, end: t.end - start })),
    };
  });
}

/** Where the statements of a tokenized string are, empty ones dropped. */
export function statementRanges(tokens: readonly Token[]): StatementRange[] {
  const ranges: StatementRange[] = [];
  let first = 0;
  let atomicDepth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type === 'punct' && t.value === ';' && t.depth === 0 && atomicDepth === 0) {
      if (i > first) ranges.push({ first, end: i });
      first = i + 1;
      continue;
    }
    if (t.type === 'word') {
      const prev = tokens[i - 1];
      if (t.value === 'atomic' && prev?.type === 'word' && prev.value === 'begin') atomicDepth++;
      else if (atomicDepth > 0 && t.value === 'case') atomicDepth++;
      else if (atomicDepth > 0 && t.value === 'end') atomicDepth--;
    }
  }
  if (tokens.length > first) ranges.push({ first, end: tokens.length });
  return ranges;
}

/** The text of one statement: from its first token to its semicolon (or the end), trimmed. */
export function statementText(sql: string, tokens: readonly Token[], range: StatementRange): string {
  const end = range.end < tokens.length ? tokens[range.end]!.start : sql.length;
  return sql.slice(tokens[range.first]!.start, end).trim();
}

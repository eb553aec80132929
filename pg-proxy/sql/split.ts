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

export function splitStatements(sql: string): SplitStatement[] {
  const tokens = tokenize(sql);
  const statements: SplitStatement[] = [];
  let current: Token[] = [];
  let atomicDepth = 0;
  const flush = (endOffset: number): void => {
    if (current.length > 0) {
      const start = current[0]!.start;
      const text = sql.slice(start, endOffset).trim();
      statements.push({
        text,
        tokens: current.map((t) => ({ ...t, start: t.start - start, end: t.end - start })),
      });
    }
    current = [];
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type === 'punct' && t.value === ';' && t.depth === 0 && atomicDepth === 0) {
      flush(t.start);
      continue;
    }
    if (t.type === 'word') {
      const prev = tokens[i - 1];
      if (t.value === 'atomic' && prev?.type === 'word' && prev.value === 'begin') atomicDepth++;
      else if (atomicDepth > 0 && t.value === 'case') atomicDepth++;
      else if (atomicDepth > 0 && t.value === 'end') atomicDepth--;
    }
    current.push(t);
  }
  flush(sql.length);
  return statements;
}

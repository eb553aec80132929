// A lexer for just as much SQL as guard needs to judge a statement: it tells words from string literals,
// quoted identifiers, comments and dollar-quoted bodies, so that a ';' or a keyword inside a string never
// counts. It does not parse SQL; it never throws: unterminated input ends the last token at the end.

export type TokenType = 'word' | 'ident' | 'string' | 'number' | 'param' | 'punct';

export interface Token {
  readonly type: TokenType;
  /** Words are lower-cased; quoted identifiers are unquoted with case kept; strings keep their quotes. */
  readonly value: string;
  readonly start: number;
  readonly end: number;
  /** Parenthesis depth at which the token sits (0 = top level of its statement). */
  readonly depth: number;
}

// Character tests by code unit: the lexer runs on every statement, so no regular expression per char.
function isWordStart(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95 || code >= 0x80;
}

function isWordChar(code: number): boolean {
  return isWordStart(code) || (code >= 48 && code <= 57) || code === 36;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}
const DOLLAR_TAG = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/;

export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let depth = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') {
      i++;
    } else if (c === '-' && next === '-') {
      const eol = sql.indexOf('\n', i);
      i = eol < 0 ? n : eol + 1;
    } else if (c === '/' && next === '*') {
      i = skipBlockComment(sql, i);
    } else if (c === "'" || ((c === 'E' || c === 'e') && next === "'")) {
      const start = i;
      const escapes = c !== "'";
      i = skipQuoted(sql, escapes ? i + 1 : i, "'", escapes);
      tokens.push({ type: 'string', value: sql.slice(start, i), start, end: i, depth });
    } else if (c === '"') {
      const start = i;
      i = skipQuoted(sql, i, '"', false);
      const inner = sql
        .slice(start + 1, sql[i - 1] === '"' && i - 1 > start ? i - 1 : i)
        .replaceAll('""', '"');
      tokens.push({ type: 'ident', value: inner, start, end: i, depth });
    } else if (c === '$') {
      const tag = DOLLAR_TAG.exec(sql.slice(i, i + 64));
      if (tag !== null) {
        const start = i;
        const close = sql.indexOf(tag[0], i + tag[0].length);
        i = close < 0 ? n : close + tag[0].length;
        tokens.push({ type: 'string', value: sql.slice(start, i), start, end: i, depth });
      } else {
        const start = i++;
        while (i < n && isDigit(sql.charCodeAt(i))) i++;
        tokens.push({ type: 'param', value: sql.slice(start, i), start, end: i, depth });
      }
    } else if (isWordStart(c.charCodeAt(0))) {
      const start = i++;
      while (i < n && isWordChar(sql.charCodeAt(i))) i++;
      tokens.push({ type: 'word', value: sql.slice(start, i).toLowerCase(), start, end: i, depth });
    } else if (c >= '0' && c <= '9') {
      const start = i++;
      while (i < n && (isDigit(sql.charCodeAt(i)) || '.eE_'.includes(sql[i]!))) i++;
      tokens.push({ type: 'number', value: sql.slice(start, i), start, end: i, depth });
    } else {
      if (c === ')') depth = Math.max(0, depth - 1);
      tokens.push({ type: 'punct', value: c, start: i, end: i + 1, depth });
      if (c === '(') depth++;
      i++;
    }
  }
  return tokens;
}

function skipBlockComment(sql: string, from: number): number {
  // Block comments nest in PostgreSQL.
  let level = 0;
  let i = from;
  while (i < sql.length) {
    if (sql[i] === '/' && sql[i + 1] === '*') {
      level++;
      i += 2;
    } else if (sql[i] === '*' && sql[i + 1] === '/') {
      level--;
      i += 2;
      if (level === 0) return i;
    } else {
      i++;
    }
  }
  return sql.length;
}

/** From an opening quote at `from`, returns the index after the closing quote (doubled quotes escape). */
function skipQuoted(sql: string, from: number, quote: string, backslashEscapes: boolean): number {
  let i = from + 1;
  while (i < sql.length) {
    const c = sql[i]!;
    if (backslashEscapes && c === '\\') {
      i += 2;
    } else if (c === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else {
      i++;
    }
  }
  return sql.length;
}

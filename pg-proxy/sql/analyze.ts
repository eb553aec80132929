// The statements of one SQL string as policy sees them.
//
// A statement is judged on its shape: its tokens with the values of string and number literals left
// out. That is what lets the proxy cache analyses across statements that differ only in their literals
// (pgbench, and ORMs that inline values, never send the same text twice): texts of one shape get the same
// class, tables and WHERE verdict by construction, because the literals' values never reach the
// classifier, cached or not.

import { classifyStatement, type StatementClass, type StatementInfo } from './classify.js';
import { statementRanges, statementText, type StatementRange } from './split.js';
import { tokenize, type Token } from './tokenize.js';

export interface AnalyzedStatement {
  readonly text: string;
  readonly class: StatementClass;
  readonly tables: readonly string[];
  readonly withoutWhere: boolean;
}

export function analyzeSql(sql: string): AnalyzedStatement[] {
  const tokens = tokenize(sql);
  return withTexts(sql, tokens, analyzeShape(tokens));
}

interface Shape {
  readonly ranges: readonly StatementRange[];
  readonly infos: readonly StatementInfo[];
}

function analyzeShape(tokens: readonly Token[]): Shape {
  const ranges = statementRanges(tokens);
  return {
    ranges,
    infos: ranges.map((r) => classifyStatement(tokens.slice(r.first, r.end).map(literalBlind))),
  };
}

function withTexts(sql: string, tokens: readonly Token[], shape: Shape): AnalyzedStatement[] {
  const statements: AnalyzedStatement[] = [];
  for (let i = 0; i < shape.ranges.length; i++) {
    const info = shape.infos[i]!;
    statements.push({
      text: statementText(sql, tokens, shape.ranges[i]!),
      class: info.class,
      tables: info.tables,
      withoutWhere: info.withoutWhere,
    });
  }
  return statements;
}

/** The classifier never sees a literal's value: one shape, one verdict. */
function literalBlind(t: Token): Token {
  if (t.type === 'string') return { ...t, value: "''" };
  if (t.type === 'number') return { ...t, value: '0' };
  return t;
}

const TYPE_MARK: Readonly<Record<Token['type'], string>> = {
  word: 'w',
  ident: 'i',
  string: 's',
  number: 'n',
  param: 'p',
  punct: '.',
};

/**
 * The shape of a tokenized string as a cache key: every token's type, and its value unless it is a
 * string or number literal. Values are length-prefixed, so no quoted identifier can forge another key.
 */
function shapeKey(tokens: readonly Token[]): string {
  let key = '';
  for (const t of tokens) {
    if (t.type === 'string') key += 's';
    else if (t.type === 'number') key += 'n';
    else key += `${TYPE_MARK[t.type]}${t.value.length}:${t.value}`;
  }
  return key;
}

export interface StatementAnalyzer {
  (sql: string): readonly AnalyzedStatement[];
}

/**
 * analyzeSql with a bounded cache of shapes: a cached shape costs the lexer and a lookup, not the
 * classifier. Texts longer than `maxText` are analysed but not cached.
 */
export function createStatementAnalyzer(maxEntries = 1000, maxText = 8192): StatementAnalyzer {
  const shapes = new Map<string, Shape>();
  return (sql) => {
    const tokens = tokenize(sql);
    if (sql.length > maxText) return withTexts(sql, tokens, analyzeShape(tokens));
    const key = shapeKey(tokens);
    let shape = shapes.get(key);
    if (shape === undefined) {
      shape = analyzeShape(tokens);
      if (shapes.size >= maxEntries) shapes.delete(shapes.keys().next().value!);
      shapes.set(key, shape);
    }
    return withTexts(sql, tokens, shape);
  };
}

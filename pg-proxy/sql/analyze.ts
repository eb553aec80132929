// The statements of one SQL string as policy sees them.

import { classifyStatement, type StatementClass } from './classify.js';
import { splitStatements } from './split.js';

export interface AnalyzedStatement {
  readonly text: string;
  readonly class: StatementClass;
  readonly tables: readonly string[];
  readonly withoutWhere: boolean;
}

export function analyzeSql(sql: string): AnalyzedStatement[] {
  return splitStatements(sql).map((s) => ({ text: s.text, ...classifyStatement(s.tokens) }));
}

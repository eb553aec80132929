// What a statement is, for policy: its class, the tables it touches, and whether an UPDATE or DELETE has
// no WHERE. Judged on tokens, not a full parse; where the lexer cannot be sure it errs toward the stricter
// answer (a data-modifying CTE makes a SELECT count as the write it contains).

import { SQL_CLASSES } from '../../policies/types.js';
import type { Token } from './tokenize.js';

// One list for the proxy and the policy engine: a class the proxy assigns is one a policy can name.
export const StatementClasses = SQL_CLASSES;

export type StatementClass = (typeof StatementClasses)[number];

export interface StatementInfo {
  readonly class: StatementClass;
  /** Tables named by the statement, lower-cased unless quoted, schema-qualified when written so. */
  readonly tables: readonly string[];
  /** True for an UPDATE or DELETE (also inside a CTE) that has no WHERE clause. */
  readonly withoutWhere: boolean;
}

const FIRST_WORD_CLASS: Readonly<Record<string, StatementClass>> = {
  select: 'select',
  values: 'select',
  table: 'select',
  show: 'other',
  fetch: 'select',
  insert: 'insert',
  update: 'update',
  delete: 'delete',
  create: 'create',
  alter: 'alter',
  drop: 'drop',
  truncate: 'truncate',
  grant: 'grant',
  revoke: 'revoke',
  copy: 'copy',
  do: 'do',
  call: 'call',
  begin: 'other',
  start: 'other',
  commit: 'other',
  end: 'other',
  rollback: 'other',
  abort: 'other',
  savepoint: 'other',
  release: 'other',
  prepare: 'other',
  set: 'other',
  reset: 'other',
};

/** Writes rank above reads: when a statement contains several (CTEs), the strongest one names it. */
const WRITE_RANK: Partial<Record<StatementClass, number>> = { insert: 1, update: 2, delete: 3 };

export function classifyStatement(tokens: readonly Token[]): StatementInfo {
  const words = tokens.filter((t) => t.type === 'word');
  const tables = tablesTouched(tokens);
  let cls = leadingClass(tokens);
  // EXPLAIN ANALYZE runs the statement; plain EXPLAIN does not, but judging by the inner statement is the
  // safe reading for both.
  const withoutWhere = hasWriteWithoutWhere(tokens);
  if (cls === 'select' || cls === 'other') {
    for (const w of words) {
      const rank = WRITE_RANK[w.value as StatementClass];
      if (rank !== undefined && isWriteKeyword(tokens, w) && rank > (WRITE_RANK[cls] ?? 0)) {
        cls = w.value as StatementClass;
      }
    }
  }
  return { class: cls, tables, withoutWhere };
}

function leadingClass(tokens: readonly Token[]): StatementClass {
  let i = 0;
  // Skip leading parentheses: "(select 1) union (select 2)".
  while (tokens[i]?.type === 'punct' && tokens[i]!.value === '(') i++;
  const first = tokens[i];
  if (first === undefined || first.type !== 'word') return 'other';
  if (first.value === 'with') return 'select'; // refined by the write scan in classifyStatement
  if (first.value === 'explain') {
    const rest = tokens.slice(i + 1).filter((t) => !(t.type === 'word' && EXPLAIN_OPTIONS.has(t.value)));
    const inner = rest.findIndex((t) => t.type === 'word' && FIRST_WORD_CLASS[t.value] !== undefined);
    return inner < 0 ? 'select' : leadingClass(rest.slice(inner));
  }
  if (first.value === 'prepare') {
    // PREPARE TRANSACTION is transaction control; PREPARE name AS stmt is judged by stmt.
    const second = tokens[i + 1];
    if (second?.type === 'word' && second.value === 'transaction') return 'other';
    const as = tokens.findIndex((t, k) => k > i && t.type === 'word' && t.value === 'as');
    return as < 0 ? 'other' : leadingClass(tokens.slice(as + 1));
  }
  if (first.value === 'merge') {
    // MERGE is judged as the strongest write its WHEN clauses can do ("THEN DELETE" makes it a delete).
    const actions = tokens
      .filter((t, k) => t.type === 'word' && tokens[k - 1]?.value === 'then')
      .map((t) => t.value);
    return actions.includes('delete') ? 'delete' : actions.includes('update') ? 'update' : 'insert';
  }
  return FIRST_WORD_CLASS[first.value] ?? 'other';
}

const EXPLAIN_OPTIONS = new Set([
  'analyze',
  'analyse',
  'verbose',
  'costs',
  'buffers',
  'format',
  'on',
  'off',
  'true',
  'false',
]);

/** A write keyword that starts a statement or a CTE body, not a column or function named "update". */
function isWriteKeyword(tokens: readonly Token[], w: Token): boolean {
  const index = tokens.indexOf(w);
  const prev = tokens[index - 1];
  if (prev === undefined) return true;
  if (prev.type === 'punct' && prev.value === '(') return true;
  // "ON CONFLICT DO UPDATE" is part of an INSERT, not a separate update.
  if (prev.type === 'word' && prev.value === 'do') return false;
  if (prev.type === 'word' && (prev.value === 'as' || prev.value === 'materialized')) return true;
  return false;
}

function hasWriteWithoutWhere(tokens: readonly Token[]): boolean {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type !== 'word' || (t.value !== 'update' && t.value !== 'delete')) continue;
    if (i > 0 && !isWriteKeyword(tokens, t)) continue;
    // The statement ends where its depth closes: scan tokens at the same depth until then.
    let hasWhere = false;
    for (let k = i + 1; k < tokens.length; k++) {
      const u = tokens[k]!;
      if (u.depth < t.depth) break;
      if (u.depth === t.depth && u.type === 'word' && u.value === 'where') {
        hasWhere = true;
        break;
      }
    }
    if (!hasWhere) return true;
  }
  return false;
}

/** Keywords after which a table name follows (possibly after modifiers such as ONLY or IF EXISTS). */
const TABLE_AFTER = new Set([
  'from',
  'join',
  'into',
  'update',
  'table',
  'truncate',
  'copy',
  'using',
  'references',
  'lock',
  'on',
]);
const MODIFIERS = new Set([
  'only',
  'if',
  'not',
  'exists',
  'table',
  'lateral',
  'unlogged',
  'temporary',
  'temp',
  'concurrently',
]);
/** Words that can follow the table keywords without being a table (ON in JOIN ... ON, FROM in functions). */
const NOT_TABLE = new Set([
  'select',
  'values',
  'with',
  'lateral',
  'stdin',
  'stdout',
  'program',
  'conflict',
  'commit',
  'delete',
  'rows',
  'set',
  'add',
  'drop',
  'alter',
  'rename',
  'column',
  'constraint',
  'validate',
  'owner',
  'enable',
  'disable',
  'of',
]);

function tablesTouched(tokens: readonly Token[]): string[] {
  const cteNames = new Set<string>();
  for (let i = 0; i + 1 < tokens.length; i++) {
    const t = tokens[i]!;
    const next = tokens[i + 1]!;
    // "name AS (" or "name AS MATERIALIZED (" inside WITH declares a CTE, not a table.
    if ((t.type === 'word' || t.type === 'ident') && next.type === 'word' && next.value === 'as') {
      const after = tokens[i + 2];
      const after2 = tokens[i + 3];
      if (
        (after?.value === '(' && after.type === 'punct') ||
        (after?.type === 'word' && after2?.value === '(')
      ) {
        cteNames.add(t.value);
      }
    }
  }
  const found: string[] = [];
  const add = (name: string): void => {
    if (!cteNames.has(name) && !found.includes(name)) found.push(name);
  };
  const first = tokens[0];
  const ddlObject =
    first?.type === 'word' &&
    ['create', 'alter', 'drop', 'grant', 'revoke', 'truncate', 'lock'].includes(first.value);
  // A FROM (or USING) list runs until a clause keyword at its own depth; inside it, a comma at that depth
  // introduces another table just as JOIN does.
  let listDepth = -1;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (
      listDepth >= 0 &&
      (t.depth < listDepth || (t.depth === listDepth && t.type === 'word' && LIST_END.has(t.value)))
    ) {
      listDepth = -1;
    }
    const comma = t.type === 'punct' && t.value === ',';
    const listComma = comma && t.depth === listDepth;
    const ddlComma = comma && t.depth === 0 && ddlObject;
    if (!listComma && !ddlComma && (t.type !== 'word' || !TABLE_AFTER.has(t.value))) continue;
    if (t.value === 'from' || t.value === 'using') listDepth = t.depth;
    // "FOR UPDATE OF t" and "GRANT UPDATE ON t" are not an UPDATE statement.
    if (t.value === 'update' && i > 0 && !isWriteKeyword(tokens, t)) continue;
    // "ON" names a table only in CREATE INDEX ... ON t, GRANT ... ON t, CREATE TRIGGER ... ON t.
    if (t.value === 'on' && !ddlObject) continue;
    if (ddlComma && !listComma && !tokens.slice(0, i).some((u) => u.type === 'word' && DDL_LIST.has(u.value)))
      continue;
    let k = i + 1;
    while (tokens[k]?.type === 'word' && MODIFIERS.has(tokens[k]!.value)) k++;
    const name = qualifiedName(tokens, k);
    if (name === undefined || NOT_TABLE.has(name.name)) continue;
    // A name followed by "(" is a function call (FROM generate_series(...)), except where the list that
    // follows is columns: INSERT INTO t (...), COPY t (...), REFERENCES t (...), CREATE TABLE t (...).
    const after = tokens[name.next];
    const isCall = after?.type === 'punct' && after.value === '(' && !COLUMN_LIST_AFTER.has(t.value);
    if (!isCall) add(name.name);
  }
  return found;
}

const LIST_END = new Set([
  'where',
  'group',
  'having',
  'order',
  'limit',
  'offset',
  'window',
  'union',
  'intersect',
  'except',
  'returning',
  'for',
  'fetch',
  'set',
  'values',
  'select',
]);
/** DDL whose object list is comma-separated tables: DROP TABLE a, b / TRUNCATE a, b / GRANT ... ON a, b. */
const DDL_LIST = new Set(['table', 'truncate', 'on']);
const COLUMN_LIST_AFTER = new Set(['into', 'copy', 'references', 'table', 'on']);

function qualifiedName(tokens: readonly Token[], start: number): { name: string; next: number } | undefined {
  const parts: string[] = [];
  let k = start;
  while (true) {
    const t = tokens[k];
    if (t === undefined || (t.type !== 'word' && t.type !== 'ident')) break;
    parts.push(t.value);
    k++;
    const dot = tokens[k];
    if (dot?.type === 'punct' && dot.value === '.') k++;
    else break;
  }
  if (parts.length === 0) return undefined;
  return { name: parts.join('.'), next: k };
}

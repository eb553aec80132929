// Does a step or SQL rule's `when` hold for an input? Also: do two rules certainly share an input (used at
// load time: a repository rule that certainly loosens what an organization rule decides is an error).
import { globMatch } from './glob.js';
import { SQL_CLASSES } from './types.js';
import type { SqlInput, SqlWhen, StepInput, StepWhen } from './types.js';

const regexCache = new Map<string, RegExp>();

function regex(pattern: string, flags: string): RegExp {
  const key = `${flags}/${pattern}`;
  let re = regexCache.get(key);
  if (!re) {
    re = new RegExp(pattern, flags);
    if (regexCache.size > 1000) regexCache.clear();
    regexCache.set(key, re);
  }
  return re;
}

export function stepWhenHolds(when: StepWhen, step: StepInput): boolean {
  if (when.kind && !when.kind.includes(step.kind)) return false;
  if (when.name && !when.name.some((p) => globMatch(p, step.name))) return false;
  if (
    when.target &&
    (step.target === undefined || !when.target.some((p) => globMatch(p, step.target ?? '')))
  ) {
    return false;
  }
  if (when.scriptMatches !== undefined && !regex(when.scriptMatches, '').test(step.script)) return false;
  return true;
}

export function sqlClassOf(input: SqlInput): string {
  const cls = input.class.toLowerCase();
  return (SQL_CLASSES as readonly string[]).includes(cls) ? cls : 'other';
}

/** Only UPDATE and DELETE can lack a WHERE clause in the sense a policy means it. */
export function lacksWhere(input: SqlInput): boolean {
  const cls = sqlClassOf(input);
  return (cls === 'update' || cls === 'delete') && input.withoutWhere;
}

function tableMatches(pattern: string, table: string): boolean {
  const bare = table.includes('.') ? table.slice(table.lastIndexOf('.') + 1) : table;
  return globMatch(pattern, table, { ignoreCase: true }) || globMatch(pattern, bare, { ignoreCase: true });
}

export function sqlWhenHolds(when: SqlWhen, input: SqlInput): boolean {
  if (when.statement && !(when.statement as readonly string[]).includes(sqlClassOf(input))) return false;
  if (when.withoutWhere !== undefined && when.withoutWhere !== lacksWhere(input)) return false;
  if (when.tables && !input.tables.some((t) => when.tables?.some((p) => tableMatches(p, t)))) return false;
  if (
    when.target &&
    (input.target === undefined || !when.target.some((p) => globMatch(p, input.target ?? '')))
  ) {
    return false;
  }
  if (when.textMatches !== undefined && !regex(when.textMatches, 'i').test(input.text)) return false;
  return true;
}

// --- certain overlap (load time) ---------------------------------------------------------------------

function listsCertainlyShare(a: string[] | undefined, b: string[] | undefined, ignoreCase = false): boolean {
  if (!a || !b) return true;
  const literal = (p: string) => !p.includes('*') && !p.includes('?');
  return a.some((x) =>
    b.some(
      (y) =>
        x === y ||
        (literal(x) && globMatch(y, x, { ignoreCase })) ||
        (literal(y) && globMatch(x, y, { ignoreCase })),
    ),
  );
}

function sameRegex(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || a === b;
}

/** True when some step certainly satisfies both conditions (regular expressions: only when equal or absent). */
export function stepWhensCertainlyOverlap(a: StepWhen, b: StepWhen): boolean {
  return (
    listsCertainlyShare(a.kind, b.kind) &&
    listsCertainlyShare(a.name, b.name) &&
    listsCertainlyShare(a.target, b.target) &&
    sameRegex(a.scriptMatches, b.scriptMatches)
  );
}

export function sqlWhensCertainlyOverlap(a: SqlWhen, b: SqlWhen): boolean {
  let classes: string[] | undefined = a.statement ?? b.statement;
  if (a.statement && b.statement) classes = a.statement.filter((c) => b.statement?.includes(c));
  if (classes && classes.length === 0) return false;
  const where = a.withoutWhere ?? b.withoutWhere;
  if (a.withoutWhere !== undefined && b.withoutWhere !== undefined && a.withoutWhere !== b.withoutWhere)
    return false;
  if (where === true && classes && !classes.some((c) => c === 'update' || c === 'delete')) return false;
  return (
    listsCertainlyShare(a.tables, b.tables, true) &&
    listsCertainlyShare(a.target, b.target) &&
    sameRegex(a.textMatches, b.textMatches)
  );
}

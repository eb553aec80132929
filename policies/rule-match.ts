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

// --- explicit loosening (load time) -------------------------------------------------------------------
// A repository rule "addresses" an organization rule when it names some of the same statement classes or
// step kinds (or the organization rule does not restrict them) and is at least as narrow on every other
// condition. Only then is a weaker action an attempt to loosen the floor; a broad catch-all `allow` or a
// rule that only partly overlaps is left alone, and at run time the strictest decision wins anyway.

function enumerated<T>(repo: T[] | undefined, org: T[] | undefined): boolean {
  if (!org) return true;
  return repo !== undefined && repo.some((x) => org.includes(x));
}

function literal(p: string): boolean {
  return !p.includes('*') && !p.includes('?');
}

/** Every value the repository patterns match is certainly matched by the organization patterns. */
function narrower(repo: string[] | undefined, org: string[] | undefined, ignoreCase = false): boolean {
  if (!org) return true;
  if (!repo) return false;
  return repo.every((r) => org.some((o) => o === r || (literal(r) && globMatch(o, r, { ignoreCase }))));
}

function sameOrUnrestricted(repo: string | boolean | undefined, org: string | boolean | undefined): boolean {
  return org === undefined || repo === org;
}

export function stepRuleAddresses(repo: StepWhen, org: StepWhen): boolean {
  return (
    enumerated(repo.kind, org.kind) &&
    narrower(repo.name, org.name) &&
    narrower(repo.target, org.target) &&
    sameOrUnrestricted(repo.scriptMatches, org.scriptMatches)
  );
}

export function sqlRuleAddresses(repo: SqlWhen, org: SqlWhen): boolean {
  return (
    enumerated(repo.statement, org.statement) &&
    sameOrUnrestricted(repo.withoutWhere, org.withoutWhere) &&
    narrower(repo.tables, org.tables, true) &&
    narrower(repo.target, org.target) &&
    sameOrUnrestricted(repo.textMatches, org.textMatches)
  );
}

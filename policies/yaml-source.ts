// YAML in, plain data out, with the line of every field kept, and JSON Schema errors turned into
// "file.yml:12: approvals.min: must be >= 1". Shared by policy files and policy test files.
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Node } from 'yaml';
import type { ErrorObject } from 'ajv';

export interface YamlSource {
  file: string;
  data: unknown;
  /** 1-based line of each field path ("approvals.min", "steps[0].when"). "" is the document. */
  lines: Record<string, number>;
}

export type PathSegment = string | number;

export function pathToString(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? seg : `.${seg}`;
  }
  return out;
}

/** Parses one YAML document; syntax errors come back as "file:line: message" strings. */
export function readYaml(text: string, file: string): { source?: YamlSource; errors: string[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const errors = doc.errors.map((e) => {
    const line = lineCounter.linePos(e.pos[0]).line;
    return `${file}:${line}: ${e.message.split('\n')[0] ?? e.message}`;
  });
  if (errors.length > 0) return { errors };
  const lines: Record<string, number> = {};
  collectLines(doc.contents, [], lines, lineCounter);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    return { errors: [`${file}:1: ${error instanceof Error ? error.message : String(error)}`] };
  }
  return { source: { file, data, lines }, errors: [] };
}

function collectLines(
  node: unknown,
  path: PathSegment[],
  lines: Record<string, number>,
  lc: LineCounter,
): void {
  if (!node || typeof node !== 'object') return;
  const range = (node as Node).range;
  if (range) lines[pathToString(path)] ??= lc.linePos(range[0]).line;
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const keyRange = (pair.key as Node | null)?.range;
      const childPath = [...path, key];
      if (keyRange) lines[pathToString(childPath)] = lc.linePos(keyRange[0]).line;
      collectLines(pair.value, childPath, lines, lc);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => collectLines(item, [...path, i], lines, lc));
  }
}

/** The line of a path, or of its nearest ancestor that has one. */
export function lineOf(lines: Record<string, number>, path: readonly PathSegment[]): number {
  for (let n = path.length; n >= 0; n--) {
    const line = lines[pathToString(path.slice(0, n))];
    if (line !== undefined) return line;
  }
  return 1;
}

function decodePointer(pointer: string): PathSegment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function describeType(types: unknown): string {
  const list = (Array.isArray(types) ? types : [types]).map(String);
  const words = list.map((t) =>
    t === 'array' ? 'a list' : t === 'object' ? 'a mapping' : t === 'integer' ? 'an integer' : `a ${t}`,
  );
  return words.join(' or ');
}

/** Turns ajv errors into "file:line: path: message", dropping the noise ajv adds for union types. */
export function formatSchemaErrors(errors: readonly ErrorObject[], source: YamlSource): string[] {
  const out = new Set<string>();
  for (const e of errors) {
    let path = decodePointer(e.instancePath);
    let message: string;
    switch (e.keyword) {
      case 'additionalProperties': {
        const prop = String((e.params as { additionalProperty: string }).additionalProperty);
        path = [...path, prop];
        const allowed = allowedKeys(e.parentSchema);
        message = `unknown field${allowed ? ` (allowed here: ${allowed})` : ''}`;
        break;
      }
      case 'required': {
        const prop = String((e.params as { missingProperty: string }).missingProperty);
        message = `${prop} is required`;
        break;
      }
      case 'enum': {
        const values = (e.params as { allowedValues: unknown[] }).allowedValues;
        message = `must be one of ${values.map((v) => JSON.stringify(v)).join(', ')}`;
        break;
      }
      case 'type':
        message = `must be ${describeType((e.params as { type: unknown }).type)}`;
        break;
      case 'pattern':
        message = patternMessage(path, e);
        break;
      case 'minProperties':
        message = 'must not be empty';
        break;
      case 'minItems':
        message = 'must not be an empty list';
        break;
      case 'minLength':
        message = 'must not be empty';
        break;
      default:
        message = e.message ?? e.keyword;
    }
    const where = pathToString(path) || '(document)';
    out.add(`${source.file}:${lineOf(source.lines, path)}: ${where}: ${message}`);
  }
  return [...out];
}

function allowedKeys(schema: unknown): string | undefined {
  const props = (schema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return props ? Object.keys(props).join(', ') : undefined;
}

function patternMessage(path: PathSegment[], e: ErrorObject): string {
  const last = path.filter((p) => typeof p === 'string').at(-1);
  switch (last) {
    case 'expire-after':
      return 'must be a duration such as 30m, 2h, 1h30m or 1d';
    case 'reviewers':
      return 'must be a GitHub user name or @org/team';
    case 'columns':
      return 'must be table.column or schema.table.column (globs allowed), e.g. *.email';
    case 'name':
      return 'must be lower-case letters, digits, ".", "_" or "-"';
    case 'flags':
      return 'must be made of the flags i, m, s, u';
    default: {
      const pattern = (e.params as { pattern: string }).pattern;
      const choices = /^\^\(([a-z|-]+)\)\$$/.exec(pattern)?.[1];
      return choices ? `must be one of ${choices.split('|').join(', ')}` : `must match ${pattern}`;
    }
  }
}

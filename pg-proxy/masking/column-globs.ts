// Which result columns a policy masks by name: `table.column` or `schema.table.column` globs, `*` and `?`
// within one name part, case-insensitive (unquoted identifiers fold to lower case, and over-masking a
// quoted "Email" is the safe mistake).

export interface ColumnIdentity {
  readonly schema: string;
  readonly table: string;
  readonly column: string;
}

export interface ColumnMatcher {
  readonly empty: boolean;
  /** A column whose table is known (RowDescription table OID resolved through the catalog). */
  matches(id: ColumnIdentity): boolean;
  /** A column with no table (an expression, table OID 0): matched on the column part of each glob. */
  matchesName(column: string): boolean;
  /** Whether any glob could match some column of this table (for COPY, which has no RowDescription). */
  mayMatchTable(schema: string, table: string): boolean;
}

interface CompiledGlob {
  readonly schema: RegExp | undefined;
  readonly table: RegExp;
  readonly column: RegExp;
}

export function compileColumnGlobs(globs: readonly string[]): ColumnMatcher {
  const compiled: CompiledGlob[] = globs.map((glob) => {
    const parts = glob.split('.');
    if (parts.length < 2 || parts.length > 3 || parts.some((p) => p.length === 0)) {
      throw new TypeError(
        `mask column '${glob}' must be table.column or schema.table.column (globs allowed)`,
      );
    }
    const [a, b, c] = parts.map(partRegExp);
    return parts.length === 3
      ? { schema: a, table: b!, column: c! }
      : { schema: undefined, table: a!, column: b! };
  });
  return {
    empty: compiled.length === 0,
    matches: (id) =>
      compiled.some(
        (g) =>
          (g.schema === undefined || g.schema.test(id.schema)) &&
          g.table.test(id.table) &&
          g.column.test(id.column),
      ),
    matchesName: (column) => compiled.some((g) => g.column.test(column)),
    mayMatchTable: (schema, table) =>
      compiled.some((g) => (g.schema === undefined || g.schema.test(schema)) && g.table.test(table)),
  };
}

function partRegExp(part: string): RegExp {
  const source = part
    .replace(/[.+^${}()|[\]\\/]/g, '\\$&')
    .replaceAll('*', '.*')
    .replaceAll('?', '.');
  return new RegExp(`^${source}$`, 'is');
}

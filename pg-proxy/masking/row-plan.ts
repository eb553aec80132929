// How to mask the rows of one result: decided once per RowDescription, applied to every DataRow. The
// common case (nothing to mask in this result) forwards rows untouched without decoding them.

import { decodeDataRow, type FieldDescription } from '../protocol/decode.js';
import { encodeDataRow } from '../protocol/encode.js';
import type { ColumnIdentity, ColumnMatcher } from './column-globs.js';

/** What replaces a value in a column masked by name. */
export const COLUMN_MASK = '***';
const COLUMN_MASK_BYTES = Buffer.from(COLUMN_MASK, 'utf8');

export const ColumnAction = {
  Keep: 0,
  /** Replace the whole value: the column is masked by policy. */
  MaskColumn: 1,
  /** Run the masker over the text: secrets and personal data detected in the value. */
  MaskText: 2,
  /** jsonb in binary format: a version byte, then JSON text. */
  MaskJsonbBinary: 3,
} as const;

export interface RowPlan {
  /** False when no column needs attention: rows are forwarded as they are. */
  readonly active: boolean;
  readonly actions: readonly number[];
  /** Set when the result cannot be masked safely; the proxy refuses it instead of leaking it. */
  readonly refusal: string | undefined;
}

export const PASS_THROUGH: RowPlan = { active: false, actions: [], refusal: undefined };

/** Type OIDs whose binary format is the text itself, so masking works in either format. */
const TEXT_LIKE = new Set([25, 1043, 1042, 19, 114, 142, 705]);
const JSONB = 3802;
/**
 * Types too small or too structured to hold a secret or personal data in their text form (bool, int2,
 * int4, oid, float, date/time, uuid): value masking skips them. int8 and numeric are not here: a card
 * number or a CPF fits in them.
 */
const VALUE_SAFE = new Set([16, 21, 23, 26, 700, 701, 1082, 1083, 1114, 1184, 1186, 1266, 2950]);

export function planRows(
  fields: readonly FieldDescription[],
  identities: readonly (ColumnIdentity | undefined)[],
  columns: ColumnMatcher,
  valueMasking: boolean,
): RowPlan {
  const actions: number[] = [];
  let active = false;
  let refusal: string | undefined;
  fields.forEach((field, i) => {
    const id = identities[i];
    const byName = columns.empty
      ? false
      : id !== undefined
        ? columns.matches(id)
        : field.tableOid === 0 && columns.matchesName(field.name);
    let action: number = ColumnAction.Keep;
    if (byName) {
      if (field.format === 1 && !TEXT_LIKE.has(field.typeOid) && field.typeOid !== JSONB) {
        const where = id !== undefined ? `${id.table}.${id.column}` : field.name;
        refusal ??= `column ${where} is masked by policy but was requested in binary format (type OID ${field.typeOid}); request text-format results for it`;
      }
      action = ColumnAction.MaskColumn;
    } else if (valueMasking) {
      if (field.format === 0 && !VALUE_SAFE.has(field.typeOid)) action = ColumnAction.MaskText;
      else if (field.format === 1 && TEXT_LIKE.has(field.typeOid)) action = ColumnAction.MaskText;
      else if (field.format === 1 && field.typeOid === JSONB) action = ColumnAction.MaskJsonbBinary;
    }
    if (action !== ColumnAction.Keep) active = true;
    actions.push(action);
  });
  return { active, actions, refusal };
}

/**
 * Masks one DataRow payload. Returns the rebuilt message (lengths recomputed, NULLs kept) and how many
 * values changed, or undefined when nothing changed so the original bytes can be forwarded.
 */
export function maskDataRow(
  payload: Buffer,
  plan: RowPlan,
  maskValue: ((text: string) => string) | undefined,
): { message: Buffer; masked: number } | undefined {
  const values = decodeDataRow(payload);
  let masked = 0;
  const out: (Buffer | null)[] = values.map((value, i) => {
    const action = plan.actions[i] ?? ColumnAction.Keep;
    if (value === null || action === ColumnAction.Keep) return value;
    if (action === ColumnAction.MaskColumn) {
      masked++;
      return COLUMN_MASK_BYTES;
    }
    if (maskValue === undefined) return value;
    const prefix = action === ColumnAction.MaskJsonbBinary ? 1 : 0;
    const text = value.toString('utf8', prefix);
    const replaced = maskValue(text);
    if (replaced === text) return value;
    masked++;
    const body = Buffer.from(replaced, 'utf8');
    return prefix === 0 ? body : Buffer.concat([value.subarray(0, 1), body]);
  });
  return masked === 0 ? undefined : { message: encodeDataRow(out), masked };
}

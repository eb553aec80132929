// Masks the rows of COPY ... TO STDOUT. The server sends one CopyData message per row; text format rows
// are cut into fields at raw tabs (a tab inside a value is escaped as \t), CSV and custom delimiters are
// only value-masked as whole lines, binary COPY is refused when anything is to be masked.

import { ColumnAction, COLUMN_MASK } from './row-plan.js';

export type CopyPlan =
  | { readonly mode: 'pass' }
  /** Run the masker over each whole row. */
  | { readonly mode: 'value' }
  /** Cut text rows into fields: mask named columns, run the masker over the rest. */
  | { readonly mode: 'columns'; readonly actions: readonly number[] }
  | { readonly mode: 'refuse'; readonly reason: string };

/** The masked row, or undefined when it did not change. */
export function maskCopyRow(
  data: Buffer,
  plan: CopyPlan,
  maskValue: ((text: string) => string) | undefined,
): { data: Buffer; masked: number } | undefined {
  if (plan.mode === 'pass' || plan.mode === 'refuse') return undefined;
  const row = data.toString('utf8');
  if (plan.mode === 'value') {
    if (maskValue === undefined) return undefined;
    const out = maskValue(row);
    return out === row ? undefined : { data: Buffer.from(out, 'utf8'), masked: 1 };
  }
  const newline = row.endsWith('\n') ? '\n' : '';
  const fields = (newline ? row.slice(0, -1) : row).split('\t');
  let masked = 0;
  const out = fields.map((field, i) => {
    const action = plan.actions[i] ?? ColumnAction.MaskColumn; // an unexpected extra field is masked
    if (field === '\\N' || action === ColumnAction.Keep) return field;
    if (action === ColumnAction.MaskColumn) {
      masked++;
      return COLUMN_MASK;
    }
    const next = maskValue === undefined ? field : maskValue(field);
    if (next !== field) masked++;
    return next;
  });
  return masked === 0 ? undefined : { data: Buffer.from(out.join('\t') + newline, 'utf8'), masked };
}

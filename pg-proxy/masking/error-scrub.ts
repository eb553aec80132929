// Row data leaks through error and notice texts: a unique violation says "Key (email)=(ann@x.com) already
// exists", a check violation prints the whole failing row. Those values are replaced before the message
// reaches the client or the record, and the masker runs over the human-readable fields.

import type { ErrorFields } from '../protocol/decode.js';
import { ErrorField } from '../protocol/message-codes.js';

const KEY_VALUES = /(Key \((?:[^()]|\([^()]*\))*\))=\((?:[^()]|\([^()]*\))*\)/g;
const FAILING_ROW = /(Failing row contains )\((?:.|\n)*\)/g;
const MASKED_FIELDS = new Set<number>([
  ErrorField.Message,
  ErrorField.Detail,
  ErrorField.Hint,
  ErrorField.Where,
  ErrorField.InternalQuery,
]);

/** The scrubbed fields, or undefined when nothing changed (forward the original bytes). */
export function scrubErrorFields(
  fields: ErrorFields,
  maskValue: ((text: string) => string) | undefined,
): ErrorFields | undefined {
  let changed = false;
  const out = fields.map(([type, value]): [number, string] => {
    if (!MASKED_FIELDS.has(type)) return [type, value];
    let next = value.replace(KEY_VALUES, '$1=(***)').replace(FAILING_ROW, '$1(***)');
    if (maskValue !== undefined) next = maskValue(next);
    if (next !== value) changed = true;
    return [type, next];
  });
  return changed ? out : undefined;
}

export function errorField(fields: ErrorFields, type: number): string | undefined {
  return fields.find(([t]) => t === type)?.[1];
}

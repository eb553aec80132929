// Masks secrets in SQL text before it is recorded or shown to a reviewer: password literals of
// CREATE/ALTER ROLE, USER MAPPING / SERVER OPTIONS, and password=... inside connection strings; then the
// general masker (secrets, personal data) over the whole text.

import { tokenize } from './tokenize.js';

export const SQL_MASK = '***';

const CONNINFO_PASSWORD = /(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s']+)/gi;
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s']+:)([^@\s']+)(@)/gi;

export function maskSqlSecrets(text: string, maskValue?: (text: string) => string): string {
  const tokens = tokenize(text);
  let out = '';
  let last = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type !== 'string') continue;
    const prev = tokens[i - 1];
    let replacement: string | undefined;
    if (
      prev?.type === 'word' &&
      (prev.value === 'password' || prev.value === 'passwd' || prev.value === 'secret')
    ) {
      replacement = `'${SQL_MASK}'`;
    } else {
      const scrubbed = t.value
        .replace(CONNINFO_PASSWORD, `$1${SQL_MASK}`)
        .replace(URL_PASSWORD, `$1${SQL_MASK}$3`);
      if (scrubbed !== t.value) replacement = scrubbed;
    }
    if (replacement !== undefined) {
      out += text.slice(last, t.start) + replacement;
      last = t.end;
    }
  }
  out += text.slice(last);
  return maskValue === undefined ? out : maskValue(out);
}

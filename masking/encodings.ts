// The forms a secret takes once a script has passed it through a common encoder. Each returned string is
// matched literally, so a secret that was base64'd, hex-dumped, URL-encoded, JSON-escaped or shell-quoted
// is masked as well as the plain value.

/** Shortest string guard will mask as a known value (shorter ones would hide ordinary words). */
export const MIN_SECRET_LENGTH = 4;

/** Values (or lines) longer than this are masked verbatim but their encodings are not derived. */
export const MAX_ENCODED_LENGTH = 16 * 1024;

/** The value itself and every encoded form worth matching, de-duplicated, none shorter than the minimum. */
export function secretVariants(value: string): string[] {
  const out = new Set<string>([value]);
  if (value.length <= MAX_ENCODED_LENGTH) {
    const bytes = Buffer.from(value, 'utf8');
    for (const form of base64Forms(bytes)) {
      out.add(form);
      out.add(toBase64Url(form));
    }
    const hex = bytes.toString('hex');
    out.add(hex);
    out.add(hex.toUpperCase());
    const url = encodeURIComponent(value);
    out.add(url);
    out.add(url.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()));
    out.add(url.replace(/%20/g, '+'));
    // encodeURIComponent leaves !'()* alone; RFC 3986 encoders do not.
    out.add(url.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`));
    const json = JSON.stringify(value).slice(1, -1);
    out.add(json);
    out.add(json.replace(/\//g, '\\/'));
    const unicodeEscaped = json.replace(
      /[\u0080-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
    out.add(unicodeEscaped);
    out.add(unicodeEscaped.replace(/\//g, '\\/'));
    for (const quoted of shellQuotedForms(value)) out.add(quoted);
  }
  return [...out].filter((form) => form.length >= MIN_SECRET_LENGTH);
}

/**
 * Base64 of the secret at each byte offset modulo 3 inside a larger blob. Only the characters fully
 * determined by the secret's own bits are taken (the neighbours' bytes change the rest), plus the
 * complete form with and without padding for a secret that ends the blob.
 */
function base64Forms(bytes: Buffer): string[] {
  const forms: string[] = [];
  for (const shift of [0, 1, 2]) {
    const total = shift + bytes.length;
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
    // Leading characters that mix in the unknown preceding bytes: 0 for shift 0, 2 for 1, 3 for 2.
    const start = shift === 0 ? 0 : shift + 1;
    const rest = total % 3;
    const determinedEnd = Math.floor(total / 3) * 4 + (rest === 0 ? 0 : rest);
    const core = encoded.slice(start, determinedEnd);
    forms.push(core, encoded.slice(start), encoded.slice(start).replace(/=+$/, ''));
  }
  return forms;
}

function toBase64Url(form: string): string {
  return form.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** POSIX single-quote escaping, double-quote escaping, and bash printf %q / backslash escaping. */
function shellQuotedForms(value: string): string[] {
  return [
    value.replace(/'/g, `'\\''`),
    value.replace(/'/g, `'"'"'`),
    value.replace(/["\\$`]/g, '\\$&'),
    value.replace(/[^A-Za-z0-9_\-.,:/@=+%^]/g, '\\$&'),
  ];
}

/** Splits a secret into the pieces that are registered: the whole value, each line, and trimmed lines. */
export function secretPieces(value: string): string[] {
  const pieces = new Set<string>();
  if (value.trim().length === 0) return [];
  pieces.add(value);
  const lines = value.split(/\r\n|\n|\r/);
  if (lines.length > 1 || value.trim() !== value) {
    for (const line of lines) {
      pieces.add(line);
      pieces.add(line.trim());
    }
  }
  return [...pieces].filter((piece) => piece.length >= MIN_SECRET_LENGTH && piece.trim().length > 0);
}

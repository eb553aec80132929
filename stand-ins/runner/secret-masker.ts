// The runner's secret masker: registered values, and the encodings the runner also registers for them
// (base64 at every byte alignment, JSON string escape, URI data escape), replaced by `***` in each line
// written to the log. Overlapping matches merge into one `***`. Pure.

export class SecretMasker {
  readonly #values = new Set<string>();

  /** Registers a secret (and its encodings). Empty or whitespace-only values are ignored, as the runner does. */
  add(value: string): void {
    if (value.trim() === '') return;
    for (const variant of encodings(value)) if (variant.length > 0) this.#values.add(variant);
  }

  get size(): number {
    return this.#values.size;
  }

  mask(text: string): string {
    if (this.#values.size === 0 || text === '') return text;
    const ranges: Array<[number, number]> = [];
    for (const value of this.#values) {
      for (let at = text.indexOf(value); at >= 0; at = text.indexOf(value, at + 1))
        ranges.push([at, at + value.length]);
    }
    if (ranges.length === 0) return text;
    ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
    let out = '';
    let cursor = 0;
    let current: [number, number] | undefined;
    for (const range of ranges) {
      if (current !== undefined && range[0] <= current[1]) {
        current[1] = Math.max(current[1], range[1]);
        continue;
      }
      if (current !== undefined) {
        out += `${text.slice(cursor, current[0])}***`;
        cursor = current[1];
      }
      current = [range[0], range[1]];
    }
    if (current !== undefined) {
      out += `${text.slice(cursor, current[0])}***`;
      cursor = current[1];
    }
    return out + text.slice(cursor);
  }
}

function encodings(value: string): string[] {
  const variants = [value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)];
  const bytes = Buffer.from(value, 'utf8');
  for (const shift of [0, 1, 2]) {
    const encoded = Buffer.concat([Buffer.alloc(shift, 0x24), bytes])
      .toString('base64')
      .replace(/=+$/, '');
    // Drop the leading characters that mix in the filler bytes and the trailing one that depends on
    // whatever byte follows the secret in a longer base64 string.
    const lead = shift === 0 ? 0 : shift + 1;
    const trail = (shift + bytes.length) % 3 === 0 ? 0 : 1;
    const core = encoded.slice(lead, encoded.length - trail);
    if (core.length >= 4) variants.push(core);
  }
  return variants;
}

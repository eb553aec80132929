// Canonical JSON: object keys sorted by code unit, no whitespace, so the same value always hashes to the
// same bytes whoever serialises it. Used for chained events and the signed manifest.

export function canonicalJson(value: unknown): string {
  const out = serialise(value, '$');
  if (out === undefined) throw new TypeError('canonicalJson: the top-level value is not serialisable');
  return out;
}

function serialise(value: unknown, path: string): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      // NaN and Infinity would silently become null, and a verifier reading them back would disagree.
      if (!Number.isFinite(value))
        throw new TypeError(`canonicalJson: ${path} is ${value}, not a finite number`);
      return JSON.stringify(value);
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'bigint':
      throw new TypeError(`canonicalJson: ${path} is a bigint; convert it to a string first`);
    case 'object':
      break;
  }
  if (Array.isArray(value)) {
    return `[${value.map((item, i) => serialise(item, `${path}[${i}]`) ?? 'null').join(',')}]`;
  }
  const withToJson = value as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === 'function') return serialise(withToJson.toJSON(), path);
  const record = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const item = serialise(record[key], `${path}.${key}`);
    if (item !== undefined) parts.push(`${JSON.stringify(key)}:${item}`);
  }
  return `{${parts.join(',')}}`;
}

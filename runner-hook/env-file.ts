// The runner's `.env`: one KEY=VALUE a line, read by the runner at start (no quoting, no expansion). Sets
// keys in place and keeps every other line, so installing twice leaves one entry each. Pure.

export interface EnvFileUpdate {
  text: string;
  /** Keys that had another value before (so the platform team can see what they replaced). */
  replaced: { key: string; previous: string }[];
}

export function updateEnvFile(text: string, entries: Record<string, string>): EnvFileUpdate {
  for (const [key, value] of Object.entries(entries)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key))
      throw new TypeError(`not an environment variable name: ${key}`);
    if (/[\r\n]/.test(value)) throw new TypeError(`${key}: a .env value is one line`);
  }
  const replaced: { key: string; previous: string }[] = [];
  const pending = new Map(Object.entries(entries));
  const lines = text === '' ? [] : text.replace(/\r?\n$/, '').split(/\r?\n/);
  const out: string[] = [];
  for (const line of lines) {
    const eq = line.indexOf('=');
    const key = eq > 0 ? line.slice(0, eq).trim() : undefined;
    if (key === undefined || !Object.hasOwn(entries, key)) {
      out.push(line);
      continue;
    }
    const value = pending.get(key);
    // A key listed twice keeps only its first place.
    if (value === undefined) continue;
    const previous = line.slice(eq + 1);
    if (previous !== value) replaced.push({ key, previous });
    out.push(`${key}=${value}`);
    pending.delete(key);
  }
  for (const [key, value] of pending) out.push(`${key}=${value}`);
  return { text: `${out.join('\n')}\n`, replaced };
}

// A tiny glob for claim values, step names, targets and table names. `*` and `?` stay within one `/`
// segment (so `refs/heads/release/*` does not match `refs/heads/release/1.x/hotfix`), `**` crosses
// segments. Nothing else is special: claim values never need brackets or braces, and a list of patterns
// says "any of".

export interface GlobOptions {
  ignoreCase?: boolean;
}

const cache = new Map<string, RegExp>();

export function globToRegExp(pattern: string, options: GlobOptions = {}): RegExp {
  const key = `${options.ignoreCase ? 'i' : 's'}:${pattern}`;
  const hit = cache.get(key);
  if (hit) return hit;
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] ?? '';
    if (char === '*') {
      if (pattern[i + 1] === '*') {
        source += '.*';
        i++;
      } else {
        source += '[^/]*';
      }
    } else if (char === '?') {
      source += '[^/]';
    } else {
      source += char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  const regexp = new RegExp(`^${source}$`, options.ignoreCase ? 'is' : 's');
  if (cache.size > 10_000) cache.clear();
  cache.set(key, regexp);
  return regexp;
}

export function globMatch(pattern: string, value: string, options: GlobOptions = {}): boolean {
  return globToRegExp(pattern, options).test(value);
}

export function isGlob(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

/**
 * Whether two patterns could match a common value. Conservative in one direction only: it answers
 * false only when that is certain (two different literals, or a literal the other pattern rejects).
 */
export function globsMayOverlap(a: string, b: string, options: GlobOptions = {}): boolean {
  if (!isGlob(a)) return globMatch(b, a, options);
  if (!isGlob(b)) return globMatch(a, b, options);
  return true;
}

// docs/policies.md cannot drift from the schema: every field of a policy file and of a test file is
// documented as `path` in a reference table.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { policySchema, testSchema } from './schema.js';

interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  $ref?: string;
}

/** A reference-table row for the field, however the table is padded. */
function documented(doc: string, path: string): boolean {
  const cell = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^\\|\\s*\`${cell}\`\\s*\\|`, 'm').test(doc);
}

function fieldPaths(node: SchemaNode, prefix: string, out: string[]): string[] {
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const path = prefix ? `${prefix}.${key}` : key;
    out.push(path);
    fieldPaths(child, path, out);
    if (child.items?.properties) fieldPaths(child.items, `${path}[]`, out);
  }
  return out;
}

describe('docs/policies.md', () => {
  it('documents every policy field in the schema', async () => {
    const doc = await readFile(new URL('../docs/policies.md', import.meta.url), 'utf8');
    const paths = fieldPaths(policySchema as SchemaNode, '', []);
    expect(paths).toContain('steps[].when.script-matches');
    expect(paths.filter((p) => !documented(doc, p))).toEqual([]);
  });

  it('documents every test-file field', async () => {
    const doc = await readFile(new URL('../docs/policies.md', import.meta.url), 'utf8');
    const paths = fieldPaths(testSchema as SchemaNode, '', []).filter(
      (p) => p.startsWith('tests[].') || p === 'claims',
    );
    const undocumented = paths.filter((p) => !/\.(step|sql)\./.test(p) && !documented(doc, p));
    expect(undocumented).toEqual([]);
  });
});

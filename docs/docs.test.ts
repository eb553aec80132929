// Reference tables that cannot drift: every action input and output, and every server flag, is documented.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { expect, it } from 'vitest';
import { SERVER_FLAGS } from '../server/config.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const read = (path: string) => readFile(join(root, path), 'utf8');

it('documents every action input and output, with the defaults action.yml has', async () => {
  const action = parse(await read('action.yml')) as {
    inputs: Record<string, { default?: string }>;
    outputs: Record<string, unknown>;
  };
  const doc = await read('docs/workflow-author.md');
  for (const [name, input] of Object.entries(action.inputs)) {
    const row = doc.split('\n').find((line) => line.startsWith(`| \`${name}\` |`));
    expect(row, `input ${name}`).toBeDefined();
    if (input.default) expect(row, `default of ${name}`).toContain(`\`${input.default}\``);
  }
  for (const name of Object.keys(action.outputs)) expect(doc, `output ${name}`).toContain(`| \`${name}\` |`);
});

it('documents every guard server flag', async () => {
  const doc = await read('docs/server.md');
  for (const flag of SERVER_FLAGS) expect(doc, `--${flag}`).toContain(`| \`--${flag}\` |`);
});

// Copies guard-default.yml into ../default-pack.ts, so the bundled server and action carry the default
// pack without reading files. Run after editing the YAML: node policies/default/embed.mjs
import { readFile, writeFile } from 'node:fs/promises';

const yamlUrl = new URL('./guard-default.yml', import.meta.url);
const tsUrl = new URL('../default-pack.ts', import.meta.url);
const yaml = await readFile(yamlUrl, 'utf8');
if (yaml.includes('`') || yaml.includes('${')) throw new Error('guard-default.yml must not contain ` or ${');
const ts = await readFile(tsUrl, 'utf8');
const start = ts.indexOf('String.raw`') + 'String.raw`'.length;
const end = ts.indexOf('`;\n', start);
await writeFile(tsUrl, ts.slice(0, start) + yaml + ts.slice(end));

// Runs a TypeScript file (a benchmark, a one-off script) without a TypeScript loader: bundles it with
// esbuild into a temporary ES module next to it (so node_modules resolves), imports it, removes it.
// Usage: node bench/run.mjs <file.ts> [args...]   (the script sees its args in process.argv.slice(2))
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [entry, ...args] = process.argv.slice(2);
if (entry === undefined) {
  process.stderr.write('usage: node bench/run.mjs <file.ts> [args...]\n');
  process.exit(2);
}
const source = path.resolve(entry);
const outfile = path.join(
  path.dirname(source),
  `.${path.basename(source, path.extname(source))}-${process.pid}.mjs`,
);
process.argv = [process.argv[0] ?? 'node', source, ...args];
try {
  await build({
    entryPoints: [source],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  await import(pathToFileURL(outfile).href);
} finally {
  await rm(outfile, { force: true });
}

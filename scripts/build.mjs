// Bundles every entry point the runner (or a user) starts into dist/. dist/ is committed because a
// workflow runs it without `npm install`; `npm run check:dist` fails when it is not this build.
import { build } from 'esbuild';
import { rm, writeFile } from 'node:fs/promises';
import { bundleOptions, ENTRY_POINTS } from './bundle-options.mjs';

await rm('dist', { recursive: true, force: true });
await build(bundleOptions({ entryPoints: ENTRY_POINTS, outdir: 'dist' }));
await writeFile('dist/package.json', '{ "type": "module" }\n');

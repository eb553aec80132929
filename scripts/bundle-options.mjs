// The esbuild options of every guard bundle: dist/ (scripts/build.mjs) and the tests that bundle entry
// points into a temp folder use this one definition, so a test runs exactly what the runner runs.

/** Entry points by output name, relative to the repository root. */
export const ENTRY_POINTS = {
  main: 'action/main.ts',
  post: 'action/post.ts',
  guard: 'cli/guard.ts',
  'job-started': 'runner-hook/job-started.ts',
  'job-completed': 'runner-hook/job-completed.ts',
};

/** @param {{ entryPoints: Record<string, string>; outdir: string }} target */
export function bundleOptions(target) {
  return {
    ...target,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    chunkNames: 'chunks/[name]-[hash]',
    // The server's storage drivers are loaded only by `guard server`/`guard demo`, which run where the
    // package is installed; the runner never loads them, so they stay out of the action bundle.
    external: [
      '@electric-sql/pglite',
      '@electric-sql/pglite/*',
      '@electric-sql/pglite-socket',
      'pg',
      'pg-native',
      '*.node',
      'cpu-features',
    ],
    // Bundled CommonJS dependencies (ssh2, the Azure blob client) still use require, __filename and __dirname.
    banner: {
      js: [
        "import { createRequire as __guardCreateRequire } from 'node:module';",
        "import { fileURLToPath as __guardFileURLToPath } from 'node:url';",
        "import { dirname as __guardDirname } from 'node:path';",
        'const require = __guardCreateRequire(import.meta.url);',
        'const __guard_filename = __guardFileURLToPath(import.meta.url);',
        'const __guard_dirname = __guardDirname(__guard_filename);',
      ].join(' '),
    },
    // Only free uses are replaced: a bundled module that declares its own __filename keeps it.
    define: { __filename: '__guard_filename', __dirname: '__guard_dirname' },
    legalComments: 'none',
    logLevel: 'warning',
  };
}

import type { BuildOptions } from 'esbuild';

export declare const ENTRY_POINTS: Record<string, string>;
export declare function bundleOptions(target: {
  entryPoints: Record<string, string>;
  outdir: string;
}): BuildOptions;

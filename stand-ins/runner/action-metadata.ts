// action.yml as the runner reads it for a node action: `runs.using/main/pre/post`, inputs with defaults
// (expressions like `${{ github.token }}` evaluated against the job's contexts) and the INPUT_ names.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { evaluateTemplate } from './expressions.js';
import type { ExpressionContexts } from './expressions.js';

export interface ActionInput {
  description?: string;
  required?: boolean;
  default?: string;
  deprecationMessage?: string;
}

export interface ActionMetadata {
  name: string;
  inputs: Record<string, ActionInput>;
  outputs: Record<string, { description?: string }>;
  runs: { using: string; main: string; pre?: string; post?: string; 'pre-if'?: string; 'post-if'?: string };
}

const NODE_RUNTIMES = new Set(['node12', 'node16', 'node20', 'node24']);

export async function loadActionMetadata(actionDir: string): Promise<ActionMetadata> {
  let text: string;
  try {
    text = await readFile(join(actionDir, 'action.yml'), 'utf8');
  } catch {
    text = await readFile(join(actionDir, 'action.yaml'), 'utf8');
  }
  const doc = parse(text) as Partial<ActionMetadata> | null;
  const runs = doc?.runs;
  if (runs === undefined || typeof runs.main !== 'string' || !NODE_RUNTIMES.has(runs.using)) {
    throw new TypeError(
      `${actionDir}/action.yml: the runner stand-in runs node actions only (runs.using node20/node24 with runs.main)`,
    );
  }
  const inputs: Record<string, ActionInput> = {};
  for (const [name, spec] of Object.entries(doc?.inputs ?? {})) {
    const input: ActionInput = { ...(spec ?? {}) };
    // YAML may give a number or boolean default; the runner passes every input as a string.
    if (input.default !== undefined && input.default !== null) input.default = String(input.default);
    inputs[name] = input;
  }
  return { name: String(doc?.name ?? ''), inputs, outputs: doc?.outputs ?? {}, runs };
}

/** `INPUT_<NAME>`: upper-cased, spaces to `_`, hyphens kept (what @actions/core's getInput looks up). */
export function inputVariableName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

export interface InputEnvironment {
  env: Record<string, string>;
  warnings: string[];
}

/** Given `with:` values, the INPUT_ variables the runner sets, plus the warnings it logs. */
export function inputEnvironment(
  metadata: ActionMetadata,
  given: Record<string, string>,
  contexts: ExpressionContexts,
): InputEnvironment {
  const env: Record<string, string> = {};
  const warnings: string[] = [];
  const declared = Object.keys(metadata.inputs);
  const unexpected = Object.keys(given).filter(
    (name) => !declared.some((d) => d.toLowerCase() === name.toLowerCase()),
  );
  if (unexpected.length > 0) {
    warnings.push(
      `Unexpected input(s) ${unexpected.map((n) => `'${n}'`).join(', ')}, valid inputs are [${declared.map((n) => `'${n}'`).join(', ')}]`,
    );
  }
  for (const [name, spec] of Object.entries(metadata.inputs)) {
    if (spec.default !== undefined) env[inputVariableName(name)] = evaluateTemplate(spec.default, contexts);
  }
  for (const [name, value] of Object.entries(given)) {
    env[inputVariableName(name)] = value;
    const spec = Object.entries(metadata.inputs).find(([d]) => d.toLowerCase() === name.toLowerCase())?.[1];
    if (spec?.deprecationMessage !== undefined) {
      warnings.push(`Input '${name}' has been deprecated with message: ${spec.deprecationMessage}`);
    }
  }
  return { env, warnings };
}

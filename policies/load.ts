// Reads a policy folder from disk: every *.yml / *.yaml below DIR except test files (*_test.yml), named
// by their path relative to DIR so errors and decisions point at the file a person edits.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { GuardError } from '../lib/errors.js';
import { policySetFromTexts } from './set.js';
import type { PolicySet } from './types.js';

export function isTestFile(name: string): boolean {
  return /_test\.ya?ml$/.test(name);
}

export function isPolicyFile(name: string): boolean {
  return /\.ya?ml$/.test(name) && !isTestFile(name);
}

/** Every file below dir (sorted, hidden entries skipped), as paths relative to dir with "/" separators. */
export async function listYamlFiles(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch (error) {
    throw new GuardError(
      'POLICY_INVALID',
      `guard: cannot read policy folder ${dir}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return (
    entries
      .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
      // parentPath is Node >= 20.12; older 20.x name it path.
      .map((e) => {
        const parent =
          (e as { parentPath?: string; path?: string }).parentPath ?? (e as { path?: string }).path ?? dir;
        return relative(dir, join(parent, e.name)).split(sep).join('/');
      })
      .filter((p) => !p.split('/').some((part) => part.startsWith('.')))
      .sort()
  );
}

export async function readPolicyTexts(dir: string): Promise<Record<string, string>> {
  const files = (await listYamlFiles(dir)).filter(isPolicyFile);
  const texts: Record<string, string> = {};
  for (const file of files) texts[file] = await readFile(join(dir, file), 'utf8');
  return texts;
}

/** Loads and validates a policy folder. An empty folder is an error: it would deny every job silently. */
export async function loadPolicyDir(dir: string): Promise<PolicySet> {
  const texts = await readPolicyTexts(dir);
  if (Object.keys(texts).length === 0) {
    throw new GuardError(
      'POLICY_INVALID',
      `guard: no policy files (*.yml) in ${dir}; every job would be denied. Add a policy or point guard at the right folder.`,
    );
  }
  return policySetFromTexts(texts);
}

// Rule packs by the names policy uses, and custom rules from policy compiled into the same shape.
import { GuardError } from '../lib/errors.js';
import { piiBrPack, piiCommonPack, piiEuPack, piiUsPack } from './rules/pii.js';
import { secretsPack } from './rules/secrets.js';
import type { Pack, Rule, ScanRule } from './rules/types.js';

export const PACKS: Readonly<Record<string, Pack>> = {
  secrets: secretsPack,
  'pii-common': piiCommonPack,
  'pii-br': piiBrPack,
  'pii-us': piiUsPack,
  'pii-eu': piiEuPack,
};

export const PACK_NAMES = Object.keys(PACKS) as readonly string[];

/** Every pack: what guard masks when policy does not say otherwise. */
export const DEFAULT_PACKS: readonly string[] = PACK_NAMES;

/** A custom rule as policy YAML gives it. */
export interface CustomRule {
  name: string;
  pattern: string;
  flags?: string;
}

/** The rules of the named packs, in pack order. Unknown names are a caller mistake (TypeError). */
export function resolvePacks(names: readonly string[]): Rule[] {
  const rules: Rule[] = [];
  for (const name of new Set(names)) {
    const pack = Object.hasOwn(PACKS, name) ? PACKS[name] : undefined;
    if (pack === undefined) {
      throw new TypeError(`unknown masking pack '${name}'; valid packs are: ${PACK_NAMES.join(', ')}`);
    }
    rules.push(...pack.rules);
  }
  return rules;
}

const RULE_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * Compiles a policy rule. The whole match is masked, or only the named group `value` when the pattern has
 * one (`password=(?<value>\S+)` keeps the name readable). A match may cross lines within one write (and
 * the line held from the write before), never across writes otherwise.
 */
export function compileCustomRule(rule: CustomRule): ScanRule {
  if (!RULE_NAME.test(rule.name)) {
    throw new GuardError(
      'POLICY_INVALID',
      `guard: masking rule name '${rule.name}' is not valid; use lower-case letters, digits and dashes (it appears as [MASKED:<name>])`,
    );
  }
  const flags = [...new Set((rule.flags ?? '').replace(/[gyd]/g, ''))].join('');
  let regex: RegExp;
  try {
    regex = new RegExp(rule.pattern, `${flags}gd`);
  } catch (error) {
    throw new GuardError(
      'POLICY_INVALID',
      `guard: masking rule '${rule.name}' has an invalid pattern or flags (/${rule.pattern}/${rule.flags ?? ''}); fix it in the policy's masking.rules`,
      { cause: error },
    );
  }
  const type = rule.name;
  const wholeCharacters = regex.unicode || regex.flags.includes('v');
  return {
    kind: 'scan',
    type,
    scan(text, out) {
      regex.lastIndex = 0;
      for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
        const span = m.indices?.groups?.['value'] ?? m.indices?.[0];
        if (span !== undefined && span[1] > span[0]) out.add(span[0], span[1], type);
        // After an empty match, on to the next character: with the u or v flag a whole one, as matchAll
        // does (from the middle of a surrogate pair such a regex goes back to its start: it never ends).
        if (m[0].length === 0) regex.lastIndex += wholeCharacters && isPairAt(text, regex.lastIndex) ? 2 : 1;
      }
    },
  };
}

/** Whether a surrogate pair (one character outside the Basic Multilingual Plane) starts at `at`. */
function isPairAt(text: string, at: number): boolean {
  const high = text.charCodeAt(at);
  const low = text.charCodeAt(at + 1);
  return high >= 0xd800 && high <= 0xdbff && low >= 0xdc00 && low <= 0xdfff;
}

// The regex sources of the match engine's passes, rebuilt from the rule packs the way engine.ts builds
// them, for the benchmarks that time the passes alone or ask which lines any pass would stop at.
import type { AnchoredRule, Rule } from '../masking/rules/types.js';

export interface PassSources {
  tokens: string;
  keywords: string;
  keySuffixes: string;
  literals: string;
  /** engine.ts's NUMERIC_ISLAND. */
  numbers: string;
  /** pii.ts's IBAN_CANDIDATE. */
  iban: string;
}

export function passSources(rules: readonly Rule[]): PassSources {
  const anchored = rules.filter((rule): rule is AnchoredRule => rule.kind === 'anchored');
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  const keywords = anchored.filter((r) => r.pass === 'keywords');
  return {
    tokens: anchored
      .filter((r) => r.prefix !== undefined && (r.pass ?? 'tokens') === 'tokens')
      .map((r) => r.prefix)
      .join('|'),
    keywords: keywords.map((r) => r.prefix).join('|'),
    keySuffixes: keywords.flatMap((r) => (r.morePrefixes ?? []).map((m) => m.prefix)).join('|'),
    literals: anchored
      .filter((r) => r.prefix === undefined)
      .flatMap((r) => r.anchors.filter((a) => a.length > 1).map(escape))
      .join('|'),
    numbers: '\\b\\d{3}[\\d ./()-]{5,}(?!\\w)',
    iban: '\\b[A-Z]{2}\\d{2}(?: ?[A-Z0-9]){10,32}',
  };
}

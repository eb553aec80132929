// Rule families: which of the match engine's passes a line needs. The line classifier sets them per line;
// the engine runs only the passes of the families it is given. The values are also in assembly/kernel.ts.

export const FAMILY = {
  /** Token prefixes (`ghp_`, `AKIA`, `xoxb-`...): the `tokens` pass. */
  tokens: 1,
  /** Secret keywords and key suffixes (`password`, `TOKEN`, `_key`...): the `keywords` and `key-suffixes` passes. */
  keywords: 2,
  /** Other literal anchors (`://`, `eyJ`, `-----BEGIN`, `--password`, `sig=`...): the `literals` pass. */
  literals: 4,
  /** `@`: the e-mail rule. */
  email: 8,
  /** Numeric islands: cards, phones, CPF, CNPJ, SSN. */
  numbers: 16,
  /** IBAN candidates. */
  iban: 32,
  /**
   * Not a pass: an `::add-mask::` command or a private key block may be in the line, which the masker
   * handles across lines (the classified path then steps aside).
   */
  special: 64,
  /**
   * Not a pass: the line has colour codes (or another escape). The kernel judges such a line again without
   * its colour codes, as the engine sees it, so its other bits are those of that text; an escape that is
   * not a colour code stays in it and sets every pass's bit.
   */
  ansi: 128,
} as const;

/** Every pass's family: what a line with colour codes, or text the classifier did not see, needs. */
export const ALL_FAMILIES = 0x3f;

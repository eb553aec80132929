// Plain-text reports for `guard audit verify` and `pull`: the verdict, the problems (first one first) and a
// table a compliance officer can paste into an audit file. Pure.

import type { BundleVerification } from './verify-bundle.js';

export function formatVerification(label: string, result: BundleVerification): string {
  const s = result.summary;
  const out: string[] = [];
  out.push(`${result.ok ? 'VALID' : 'INVALID'}  ${label}`);
  if (s.repository !== undefined) {
    out.push(
      `  session ${s.sessionId}  ${s.repository}  run ${s.runId} attempt ${s.runAttempt}  job ${s.job}`,
    );
    out.push(
      `  workflow ${s.workflow}  ref ${s.ref}  sha ${s.sha?.slice(0, 12)}  actor ${s.actor}  policy ${s.policy || '-'}`,
    );
  }
  if (s.deployment !== undefined) out.push(`  deployment ${s.deployment}`);
  if (s.keyId !== undefined) out.push(`  signed by ${s.keyId} at ${s.signedAt}`);
  if (result.problems.length > 0) {
    out.push(
      `  ${result.problems.length} problem(s); the first is where the evidence stops being trustworthy:`,
    );
    for (const p of result.problems) {
      const where =
        p.file === undefined ? '' : `${p.file}${p.event === undefined ? '' : ` (event ${p.event})`}: `;
      out.push(`    ${where}${p.message}`);
    }
  }
  if (s.steps.length > 0) {
    out.push('');
    out.push(
      table(
        ['step', 'name', 'kind', 'decision', 'exit', 'approvals (reviewer)', 'statements', 'masked'],
        s.steps.map((st) => [
          String(st.n),
          st.name,
          st.kind,
          st.decision,
          st.exitCode === null ? '-' : String(st.exitCode),
          st.reviewers.join('; ') || '-',
          String(st.statements),
          String(st.masked),
        ]),
      ),
    );
    const masked = Object.entries(s.maskedByType)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([type, n]) => `${type} ${n}`)
      .join(', ');
    out.push(`  SQL statements: ${s.statements}; masked values by type: ${masked || 'none'}`);
  }
  return `${out.join('\n')}\n`;
}

export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => c.padEnd(widths[i]!)).join('  ')}`.trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

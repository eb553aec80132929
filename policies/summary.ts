// The effective policy as Markdown for the job summary (the action's post step writes it), so whoever
// reads a run sees what governed it without opening the server.
import { formatDuration } from './duration.js';
import { describeRules } from './explain.js';
import type { EffectivePolicy } from './types.js';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function policySummaryMarkdown(p: EffectivePolicy): string {
  const rows: [string, string][] = [
    ['Policies', p.name],
    ['Sources', p.sources.join(', ')],
    ['Version', `\`${p.version}\``],
    [
      'Approvals',
      `${p.approvals.min} from ${p.approvals.reviewers.join(', ') || 'any user with write access'}`,
    ],
    ['Approval expires after', formatDuration(p.approvals.expireAfterMs)],
    ['Self-approval', p.approvals.allowSelfApproval ? 'allowed' : 'not allowed'],
    ['Masking packs', p.masking.packs.join(', ')],
    ['Masked columns', p.masking.columns.join(', ') || 'none'],
    ['Masking rules', p.masking.rules.map((r) => r.name).join(', ') || 'none'],
    ['Recording', p.recording],
  ];
  const rules = describeRules(p);
  return [
    '### guard policy',
    '',
    '| | |',
    '| --- | --- |',
    ...rows.map(([k, v]) => `| ${cell(k)} | ${cell(v)} |`),
    '',
    rules.length > 0 ? '<details><summary>Rules</summary>\n' : '',
    ...rules.map((r) => `- ${r.replace(/</g, '&lt;')}`),
    rules.length > 0 ? '\n</details>' : '',
    '',
  ].join('\n');
}

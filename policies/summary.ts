// The effective policy as Markdown for the job summary (the action's post step writes it), so whoever
// reads a run sees what governed it without opening the server.
import { formatDuration } from './duration.js';
import { describeRules } from './explain.js';
import type { EffectivePolicy, RunnerPatterns } from './types.js';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** Each gate must hold, so they are joined with "and"; within a gate any pattern will do. */
function gates(list: RunnerPatterns[], none: string): string {
  return list.length > 0 ? list.map((g) => `${g.patterns.join(' or ')} (${g.policy})`).join(' and ') : none;
}

function runnerJob(p: EffectivePolicy): string {
  const parts = [
    p.runners.jobApproval ? 'approved before it starts' : '',
    p.runners.requireGuard ? 'fails unless a step ran under guard' : '',
  ].filter(Boolean);
  return parts.join('; ') || 'no extra requirement';
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
    [
      'Reviewer permission',
      p.approvals.minPermission ? `at least ${p.approvals.minPermission}` : 'not required',
    ],
    ['Pull request reviews', p.approvals.pullRequestReviewCounts ? 'count as approvals' : 'do not count'],
    ['Masking packs', p.masking.packs.join(', ')],
    ['Masked columns', p.masking.columns.join(', ') || 'none'],
    ['Masking rules', p.masking.rules.map((r) => r.name).join(', ') || 'none'],
    ['Recording', p.recording],
    ['Runner labels', gates(p.runners.labels, 'any runner')],
    ['Runner workflows', gates(p.runners.workflows, 'any workflow')],
    ['Runner job', runnerJob(p)],
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

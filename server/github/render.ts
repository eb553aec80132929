// What reviewers read on GitHub: the check run and the pull request comment for one approval, and the
// short replies to commands. Pure. The only script or SQL shown is the approval's body, which was masked
// before it was stored; replies never show it at all.
import type { ApprovalState, ApprovalVote } from '../approvals.js';

/** Keeps the summary well inside GitHub's 65 535-character limits for check-run output and comments. */
const MAX_BODY = 30_000;

export const MARKER = '<!-- guard-approval:';

export function subjectOf(approval: Pick<ApprovalState, 'kind' | 'title'>): string {
  return approval.kind === 'step' ? approval.title.replace(/^step\s+/, '') : approval.title;
}

export function checkRunName(approval: Pick<ApprovalState, 'kind' | 'title'>): string {
  return `guard: approval for ${subjectOf(approval)}`.slice(0, 255);
}

export type CheckConclusion = 'action_required' | 'success' | 'failure' | 'timed_out';

export function checkConclusion(approval: Pick<ApprovalState, 'status'>): CheckConclusion {
  switch (approval.status) {
    case 'pending':
      return 'action_required';
    case 'approved':
      return 'success';
    case 'denied':
      return 'failure';
    case 'expired':
      return 'timed_out';
  }
}

export function statusLine(approval: ApprovalState): string {
  const approvals = approval.votes.filter((v) => v.decision === 'approve');
  switch (approval.status) {
    case 'pending':
      return `waiting for approval: ${approvals.length} of ${approval.required}${approvals.length ? ` (${approvals.map(voteText).join('; ')})` : ''}`;
    case 'approved':
      return `approved by ${approvals.map(voteText).join('; ')}`;
    case 'denied': {
      const denial = approval.votes.find((v) => v.decision === 'deny');
      return denial
        ? `denied by ${voteText(denial)}${denial.comment ? `: ${plain(denial.comment)}` : ''}`
        : `denied: ${plain(approval.reason ?? '')}`;
    }
    case 'expired':
      return `expired at ${approval.decidedAt ?? approval.expiresAt}: ${plain(approval.reason ?? 'no decision in time')}`;
  }
}

export function checkRunOutput(approval: ApprovalState): { title: string; summary: string; text: string } {
  const title =
    approval.status === 'pending'
      ? `Waiting for approval (${approval.votes.filter((v) => v.decision === 'approve').length} of ${approval.required})`
      : statusLine(approval);
  return {
    title: title.slice(0, 255),
    summary: [headline(approval), '', identityTable(approval), '', whatIsApproved(approval)].join('\n'),
    text:
      approval.status === 'pending'
        ? `Approve or deny with the buttons of this check run, or comment \`/guard approve ${approval.id}\` or \`/guard deny ${approval.id} <reason>\` on the pull request.`
        : 'Decided; the buttons are gone. A new run needs a new approval.',
  };
}

export function pullRequestComment(approval: ApprovalState): string {
  const how =
    approval.status === 'pending'
      ? [
          '',
          'To decide, comment (first line only):',
          '',
          `- \`/guard approve ${approval.id} [comment]\``,
          `- \`/guard deny ${approval.id} <reason>\``,
        ]
      : [];
  return [
    `${MARKER}${approval.id} -->`,
    headline(approval),
    '',
    identityTable(approval),
    '',
    whatIsApproved(approval),
    ...how,
  ].join('\n');
}

export function replyNotCounted(login: string, id: string, why: string): string {
  return `@${login} your ${id ? `decision on \`${id}\`` : 'command'} did not count: ${plain(why)}`;
}

export function replyUnknownCommand(login: string, problem: string, help: string): string {
  return `@${login} ${plain(problem)}.\n\n${help}`;
}

function headline(approval: ApprovalState): string {
  const icon = { pending: '⏳', approved: '✅', denied: '⛔', expired: '⌛' }[approval.status];
  return `### ${icon} guard: ${plain(approval.title)}: ${statusLine(approval)}`;
}

function identityTable(approval: ApprovalState): string {
  const c = approval.context;
  const text = (key: string) =>
    typeof c[key] === 'string' || typeof c[key] === 'number' ? String(c[key]) : undefined;
  const rows: [string, string | undefined][] = [
    ['repository', approval.repository],
    ['workflow', text('workflow')],
    ['job', text('job')],
    ['environment', text('environment')],
    ['run', approval.runId ? `${approval.runId} (attempt ${approval.runAttempt ?? '1'})` : undefined],
    ['ref', text('ref')],
    ['commit', text('sha')],
    ['started by', approval.actor ?? undefined],
    ['approval id', approval.id],
    ['who may approve', approval.reviewers.length ? approval.reviewers.join(', ') : 'nobody is configured'],
    ['approvals needed', String(approval.required)],
    ['expires', approval.expiresAt],
    ['why it is held', text('reason')],
  ];
  return [
    '| | |',
    '| --- | --- |',
    ...rows
      .filter((row): row is [string, string] => row[1] !== undefined)
      .map(([k, v]) => `| ${k} | ${code(v)} |`),
  ].join('\n');
}

function whatIsApproved(approval: ApprovalState): string {
  const label =
    approval.kind === 'sql'
      ? 'SQL (masked)'
      : approval.kind === 'step'
        ? 'Script (masked)'
        : 'What is approved';
  const body =
    approval.body.length > MAX_BODY
      ? `${approval.body.slice(0, MAX_BODY)}\n… (${approval.body.length - MAX_BODY} more characters; the digest covers all of it)`
      : approval.body;
  return [
    `${label}, sha256 \`${approval.digest}\`:`,
    '',
    fenced(body, approval.kind === 'sql' ? 'sql' : approval.kind === 'step' ? 'sh' : ''),
  ].join('\n');
}

function voteText(vote: ApprovalVote): string {
  return `${vote.reviewer} via ${vote.channel} at ${vote.at}`;
}

/** A code block whose fence is longer than any backtick run inside, so the body cannot close it. */
export function fenced(body: string, language: string): string {
  const longest = Math.max(0, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${body}\n${fence}`;
}

/** A value in a table cell: a code span that cannot break out of the cell or the span. */
function code(value: string): string {
  return `\`${value.replace(/[`\r\n]/g, ' ').replace(/\|/g, '\\|')}\``;
}

/** Reviewer-typed text shown back: one line, no mentions or HTML, bounded. */
export function plain(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/[<>]/g, '')
    .replace(/@(?=\w)/g, '@\u200b')
    .slice(0, 500);
}

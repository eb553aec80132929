// The comment commands reviewers type on a pull request. Pure: text in, command out. Only the first line
// counts (the rest of a comment is conversation), and case and spacing do not matter.

export type CommentCommand =
  | { type: 'none' }
  | { type: 'approve'; id: string; comment: string }
  | { type: 'deny'; id: string; reason: string }
  | { type: 'invalid'; problem: string };

export const COMMAND_HELP = [
  'guard understands, on the first line of a comment:',
  '',
  '- `/guard approve <id> [comment]`: approve the request with that id',
  '- `/guard deny <id> <reason>`: deny it (a reason is required)',
  '',
  'The id is the 8-character id shown in the approval request.',
].join('\n');

export function parseCommentCommand(body: string): CommentCommand {
  const first = body.replace(/^\s+/, '').split(/\r?\n/, 1)[0] ?? '';
  const words = first.trim().split(/\s+/);
  if ((words[0] ?? '').toLowerCase() !== '/guard') return { type: 'none' };
  const verb = (words[1] ?? '').toLowerCase();
  if (verb !== 'approve' && verb !== 'deny')
    return {
      type: 'invalid',
      problem: verb ? `'${truncate(words[1] ?? '')}' is not a guard command` : 'the command is incomplete',
    };
  const id = (words[2] ?? '').toLowerCase();
  if (!/^[0-9a-f]{8}$/.test(id))
    return {
      type: 'invalid',
      problem: id
        ? `'${truncate(words[2] ?? '')}' is not an approval id (8 hex characters)`
        : `\`/guard ${verb}\` needs an approval id`,
    };
  const rest = words.slice(3).join(' ').trim().slice(0, 2000);
  if (verb === 'approve') return { type: 'approve', id, comment: rest };
  if (!rest) return { type: 'invalid', problem: `\`/guard deny ${id}\` needs a reason after the id` };
  return { type: 'deny', id, reason: rest };
}

/** Check-run button identifiers: `approve:<id>` / `deny:<id>` (GitHub allows 20 characters). */
export function parseActionIdentifier(
  identifier: string,
): { decision: 'approve' | 'deny'; id: string } | undefined {
  const match = /^(approve|deny):([0-9a-f]{8})$/.exec(identifier);
  return match ? { decision: match[1] as 'approve' | 'deny', id: match[2] ?? '' } : undefined;
}

/** Echoes a word of the reviewer's back at most 20 characters long, as plain text (no markdown). */
function truncate(word: string): string {
  return word.slice(0, 20).replace(/[`'<>@]/g, '');
}

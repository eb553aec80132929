// Waiting for reviewers: one long-poll after another (no busy polling), a progress line every 30 s that
// says who may approve and how, and a fail-closed end when the server stays away past the expiry.
import type { ApprovalState, GuardServerClient } from '../client/server-api.js';
import { GuardError } from '../lib/errors.js';
import { sleep } from '../lib/timing.js';

export interface WaitOptions {
  client: GuardServerClient;
  approval: ApprovalState;
  stepName: string;
  serverUrl: string;
  print: (line: string) => void;
  progressEveryMs?: number;
  signal?: AbortSignal;
}

export async function waitForDecision(options: WaitOptions): Promise<ApprovalState> {
  const { client, print } = options;
  const progressEveryMs = options.progressEveryMs ?? 30_000;
  const started = Date.now();
  let state = options.approval;
  let lastProgress = started;
  let failures = 0;
  print(howToApprove(state, options.stepName, options.serverUrl));
  while (state.status === 'pending') {
    if (options.signal?.aborted)
      throw new GuardError(
        'APPROVAL_DENIED',
        `guard: step '${options.stepName}' was cancelled while waiting for approval`,
      );
    try {
      state = await client.waitForApproval(state.id, 25, options.signal);
      failures = 0;
    } catch (error) {
      if (!(error instanceof GuardError) || error.code !== 'SERVER_UNREACHABLE') throw error;
      // The server may be restarting; keep trying until the approval could no longer be granted anyway.
      failures++;
      if (Date.now() > Date.parse(state.expiresAt)) throw error;
      print(`guard: lost the server while waiting (${error.message}); retrying`);
      await sleep(Math.min(30_000, 1000 * 2 ** Math.min(failures, 5)), options.signal);
    }
    if (state.status === 'pending' && Date.now() - lastProgress >= progressEveryMs) {
      lastProgress = Date.now();
      const approvals = state.votes.filter((vote) => vote.decision === 'approve').length;
      print(
        `guard: still waiting for approval ${state.id} of step '${options.stepName}' (${formatDuration(Date.now() - started)}; ${approvals}/${state.required} approvals; expires in ${formatDuration(Date.parse(state.expiresAt) - Date.now())}); reviewers: ${state.reviewers.join(', ')}`,
      );
    }
  }
  return state;
}

export function howToApprove(state: ApprovalState, stepName: string, serverUrl: string): string {
  const who =
    state.reviewers.length > 0
      ? state.reviewers.join(', ')
      : '(no reviewers configured: ask the platform team)';
  return [
    `guard: step '${stepName}' needs ${state.required} approval(s) before it runs (approval ${state.id}, expires ${state.expiresAt})`,
    `guard: who may approve: ${who}; not the person who started the run`,
    `guard: how: comment \`/guard approve ${state.id}\` on the pull request, or run \`guard approve ${state.id} --server ${serverUrl}\` with a reviewer credential`,
  ].join('\n');
}

export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  if (hours > 0) return `${hours}h${String(minutes).padStart(2, '0')}m`;
  if (minutes > 0) return `${minutes}m${String(seconds).padStart(2, '0')}s`;
  return `${seconds}s`;
}

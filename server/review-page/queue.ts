// What the review page shows for each request a reviewer may decide: everything they need to judge it
// without leaving the page (what will run, where, who asked, why policy held it, votes so far).
import {
  getApproval,
  listPendingApprovals,
  type ApprovalKind,
  type ApprovalVote,
  type Reviewer,
} from '../approvals.js';
import type { ServerContext } from '../context.js';

export interface QueueItem {
  id: string;
  kind: ApprovalKind;
  title: string;
  repository: string;
  runId: string | null;
  runAttempt: string | null;
  job: string | null;
  workflow: string | null;
  ref: string | null;
  sha: string | null;
  database: string | null;
  /** Who started the run (the job's `actor` claim). */
  actor: string | null;
  /** The masked script or SQL; attacker-controlled text, escaped when rendered. */
  body: string;
  digest: string;
  /** Why policy held it. */
  reason: string | null;
  required: number;
  votes: ApprovalVote[];
  createdAt: string;
  expiresAt: string;
  /** The signed-in reviewer's own vote, if they cast one. */
  yourVote: 'approve' | 'deny' | null;
  /** The signed-in reviewer started this run and policy forbids self-approval. */
  selfStarted: boolean;
}

export async function loadQueue(ctx: ServerContext, reviewer: Reviewer): Promise<QueueItem[]> {
  const pending = await listPendingApprovals(ctx, reviewer);
  const items: QueueItem[] = [];
  const login = reviewer.login.toLowerCase();
  for (const { id } of pending) {
    const state = await getApproval(ctx, id);
    if (state.status !== 'pending') continue;
    const text = (key: string): string | null => {
      const value = state.context[key];
      return typeof value === 'string' && value ? value : null;
    };
    items.push({
      id: state.id,
      kind: state.kind,
      title: state.title,
      repository: state.repository,
      runId: state.runId,
      runAttempt: state.runAttempt,
      job: text('job'),
      workflow: text('workflow'),
      ref: text('ref'),
      sha: text('sha'),
      database: text('database'),
      actor: state.actor,
      body: state.body,
      digest: state.digest,
      reason: text('reason'),
      required: state.required,
      votes: state.votes,
      createdAt: state.createdAt,
      expiresAt: state.expiresAt,
      yourVote: state.votes.find((vote) => vote.reviewer.toLowerCase() === login)?.decision ?? null,
      selfStarted: !state.allowSelfApproval && state.actor?.toLowerCase() === login,
    });
  }
  return items;
}

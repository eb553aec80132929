// Reads the job's events.jsonl back into one record per guarded step: for the manifest and the job summary.
import { approvalRecord, type RecordedVote, type StepRecord } from '../audit/manifest.js';

type Event = Record<string, unknown> & { type: string; step?: number; ts?: string };

/** A field of an event as text ('' when absent or not text): events are read back, not trusted for shape. */
function text(event: Event, field: string, fallback = ''): string {
  const value = event[field];
  return typeof value === 'string' ? value : fallback;
}

const DECISIONS: Record<string, string> = {
  allow: 'allowed',
  'require-approval': 'pending',
  block: 'blocked',
};
const APPROVAL_OUTCOMES: Record<string, string> = {
  approved: 'approved',
  denied: 'rejected',
  expired: 'expired',
};

export interface StepView extends StepRecord {
  /** finished, blocked, denied, expired, recording-failed, or started when the job ended mid-step. */
  status: string;
  durationMs: number | null;
}

export function summarizeSteps(eventsJsonl: string): StepView[] {
  const steps = new Map<number, StepView>();
  for (const line of eventsJsonl.split('\n')) {
    if (!line.trim()) continue;
    const event = JSON.parse(line) as Event;
    if (typeof event.step !== 'number') continue;
    const n = event.step;
    if (event.type === 'step.start') {
      steps.set(n, {
        n,
        name: text(event, 'name'),
        kind: text(event, 'kind', 'shell'),
        scriptSha256: text(event, 'script_sha256'),
        decision: DECISIONS[text(event, 'decision')] ?? text(event, 'decision'),
        approvals: [],
        exitCode: null,
        startedAt: text(event, 'ts'),
        castFile: `steps/${n}.cast`,
        maskCounts: {},
        status: 'started',
        durationMs: null,
      });
      continue;
    }
    const step = steps.get(n);
    if (!step) continue;
    if (event.type === 'approval.decided') {
      step.decision = APPROVAL_OUTCOMES[text(event, 'status')] ?? text(event, 'status');
      const votes = Array.isArray(event.votes) ? (event.votes as RecordedVote[]) : [];
      step.approvals = votes.map(approvalRecord);
    } else if (event.type === 'step.end') {
      step.status = text(event, 'status', 'finished');
      step.exitCode = typeof event.exit_code === 'number' ? event.exit_code : null;
      step.durationMs = typeof event.duration_ms === 'number' ? event.duration_ms : null;
      step.endedAt = text(event, 'ts');
      if (typeof event.cast_sha256 === 'string') step.castSha256 = event.cast_sha256;
      step.maskCounts = (event.mask_counts as Record<string, number> | undefined) ?? {};
      if (event.sql_counts) step.sqlCounts = event.sql_counts as Record<string, number>;
    }
  }
  return [...steps.values()].sort((a, b) => a.n - b.n);
}

/** The manifest's view of a step: the record without the display-only fields. */
export function toStepRecord(view: StepView): StepRecord {
  const { status: _status, durationMs: _duration, ...record } = view;
  return record;
}

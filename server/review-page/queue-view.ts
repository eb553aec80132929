// The queue view: one card per request the reviewer may decide. Every value from an approval is text and
// goes through the escaping `html` template; nothing here builds markup from data by hand.
import { html, type Html } from './html.js';
import type { QueueItem } from './queue.js';

const KIND_LABEL: Record<QueueItem['kind'], string> = {
  step: 'Step',
  sql: 'SQL',
  job: 'Job',
  deployment: 'Deployment',
};

export function queueView(items: readonly QueueItem[], now: Date): Html {
  const count =
    items.length === 0
      ? 'Nothing waits for you right now.'
      : `${items.length} ${items.length === 1 ? 'request waits' : 'requests wait'} for your decision.`;
  return html`<h1>Review queue</h1>
    <p class="lead">
      ${count} Approving releases exactly the script or SQL shown (by its digest); a changed script asks
      again.
    </p>
    ${
      items.length === 0
        ? html`<div class="empty">
            New requests appear here when policy holds a step; the page checks on its own.
          </div>`
        : items.map((item) => card(item, now))
    }`;
}

function card(item: QueueItem, now: Date): Html {
  const approvals = item.votes.filter((vote) => vote.decision === 'approve').length;
  const minutesLeft = Math.floor((Date.parse(item.expiresAt) - now.getTime()) / 60_000);
  const what = item.kind === 'sql' ? 'SQL that will run' : 'What will run';
  return html`<article class="card" data-approval="${item.id}">
    <div class="card-head">
      <span class="kind">${KIND_LABEL[item.kind]}</span>
      <h2>${item.title}</h2>
      <span class="expires${minutesLeft < 15 ? ' soon' : ''}" title="${item.expiresAt}"
        >expires ${inTime(minutesLeft)} · ${utc(item.expiresAt)}</span
      >
    </div>
    <div class="card-body">
      <dl class="facts">
        <dt>Repository</dt>
        <dd>${item.repository}</dd>
        <dt>Started by</dt>
        <dd><strong>${item.actor ?? 'unknown'}</strong></dd>
        <dt>Run</dt>
        <dd>${run(item)}</dd>
        <dt>Workflow</dt>
        <dd>${item.workflow ?? '-'}</dd>
        <dt>Ref</dt>
        <dd>${item.ref ?? '-'}</dd>
        <dt>Commit</dt>
        <dd>${item.sha ? item.sha.slice(0, 12) : '-'}</dd>
        ${
          item.database
            ? html`<dt>Database</dt>
                <dd>${item.database}</dd>`
            : ''
        }
        <dt>Requested</dt>
        <dd>${utc(item.createdAt)}</dd>
      </dl>
      <p class="reason"><strong>Why policy held it:</strong> ${item.reason ?? 'policy requires approval'}</p>
      <div class="label">
        ${what} <span class="note">masked: secrets and personal data are replaced</span>
      </div>
      <pre class="script"><code>${item.body}</code></pre>
      <p class="digest">sha256 ${item.digest}</p>
      <div class="votes">${votes(item, approvals)}</div>
      ${decide(item)}
    </div>
  </article>`;
}

function run(item: QueueItem): Html {
  if (!item.runId) return html`-`;
  return html`${item.runId}${item.runAttempt ? ` (attempt ${item.runAttempt})` : ''}${item.job ? html` · job <strong>${item.job}</strong>` : ''}`;
}

function votes(item: QueueItem, approvals: number): Html {
  const tally = html`<strong>Approvals: ${approvals} of ${item.required}</strong>`;
  if (item.votes.length === 0) return html`${tally} · no votes yet`;
  return html`${tally}
    <ul>
      ${item.votes.map(
        (vote) =>
          html`<li>
            <strong>${vote.reviewer}</strong> ${vote.decision === 'approve' ? 'approved' : 'denied'} via
            ${vote.channel}, ${utc(vote.at)}${vote.comment ? html`: “${vote.comment}”` : ''}
          </li>`,
      )}
    </ul>`;
}

function decide(item: QueueItem): Html {
  if (item.yourVote) {
    return html`<p class="message done">
      You ${item.yourVote === 'approve' ? 'approved' : 'denied'} this; waiting for other reviewers.
    </p>`;
  }
  return html`<div class="decide">
    ${item.selfStarted ? html`<p class="self">You started this run: policy does not let you approve it; another reviewer must.</p>` : ''}
    <label for="comment-${item.id}">Comment (optional to approve, required to deny)</label>
    <textarea
      id="comment-${item.id}"
      maxlength="2000"
      placeholder="e.g. checked the plan output; or why not"
    ></textarea>
    <div class="actions">
      <button class="approve" type="button" data-decision="approve">Approve</button>
      <button class="deny" type="button" data-decision="deny">Deny</button>
      <span class="message" role="alert"></span>
    </div>
  </div>`;
}

function utc(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

function inTime(minutes: number): string {
  if (minutes < 1) return 'in under a minute';
  if (minutes < 60) return `in ${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return `in ${hours} h${rest ? ` ${rest} min` : ''}`;
}

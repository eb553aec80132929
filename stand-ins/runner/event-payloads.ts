// The event a job sees at GITHUB_EVENT_PATH. Defaults are trimmed copies of GitHub's webhook payload shapes
// (push, pull_request, workflow_dispatch) built from the job's claims, so payload and token agree. Given a
// published example payload instead, `claimsFromEvent` reads the claims the token would carry. Pure.
import type { ClaimOverrides } from '../github/claims.js';

type Claims = Record<string, unknown>;

function owner(claims: Claims): Record<string, unknown> {
  const login = String(claims['repository_owner']);
  return {
    login,
    id: Number(claims['repository_owner_id']),
    node_id: `O_${Buffer.from(login).toString('base64url')}`,
    type: 'Organization',
    html_url: `https://github.com/${login}`,
    site_admin: false,
  };
}

function repository(claims: Claims): Record<string, unknown> {
  const fullName = String(claims['repository']);
  const [, name = fullName] = fullName.split('/');
  return {
    id: Number(claims['repository_id']),
    node_id: `R_${Buffer.from(fullName).toString('base64url')}`,
    name,
    full_name: fullName,
    private: claims['repository_visibility'] !== 'public',
    visibility: claims['repository_visibility'] ?? 'private',
    owner: owner(claims),
    html_url: `https://github.com/${fullName}`,
    url: `https://api.github.com/repos/${fullName}`,
    default_branch: 'main',
  };
}

function sender(claims: Claims): Record<string, unknown> {
  const login = String(claims['actor']);
  return {
    login,
    id: Number(claims['actor_id'] ?? 1),
    type: 'User',
    html_url: `https://github.com/${login}`,
    site_admin: false,
  };
}

/** A realistic payload for the event named in the claims. */
export function defaultEventPayload(eventName: string, claims: Claims): Record<string, unknown> {
  const repo = repository(claims);
  const base = {
    repository: repo,
    organization: { login: claims['repository_owner'], id: Number(claims['repository_owner_id']) },
    sender: sender(claims),
  };
  const sha = String(claims['sha']);
  if (eventName === 'pull_request' || eventName === 'pull_request_target') {
    const number = Number(/^refs\/pull\/(\d+)\//.exec(String(claims['ref']))?.[1] ?? 1);
    return {
      action: 'opened',
      number,
      pull_request: {
        number,
        state: 'open',
        title: 'Deploy the new checkout flow',
        user: sender(claims),
        html_url: `https://github.com/${String(claims['repository'])}/pull/${number}`,
        head: { ref: claims['head_ref'] || 'feature', sha, repo },
        base: { ref: claims['base_ref'] || 'main', sha: '0000000000000000000000000000000000000000', repo },
        merged: false,
        draft: false,
      },
      ...base,
    };
  }
  if (eventName === 'workflow_dispatch') {
    return { inputs: {}, ref: claims['ref'], workflow: `.github/workflows/deploy.yml`, ...base };
  }
  return {
    ref: claims['ref'],
    before: '0000000000000000000000000000000000000000',
    after: sha,
    created: false,
    deleted: false,
    forced: false,
    compare: `https://github.com/${String(claims['repository'])}/commit/${sha.slice(0, 12)}`,
    commits: [],
    head_commit: {
      id: sha,
      tree_id: sha,
      message: 'Deploy the new checkout flow',
      timestamp: '2025-06-02T12:00:00Z',
      author: { name: 'Monalisa Octocat', email: 'octocat@github.com', username: String(claims['actor']) },
      committer: { name: 'GitHub', email: 'noreply@github.com', username: 'web-flow' },
    },
    pusher: { name: String(claims['actor']), email: 'octocat@github.com' },
    ...base,
  };
}

function scalar(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

/** Claims a job triggered by this payload would carry (only what the payload determines). */
export function claimsFromEvent(eventName: string, payload: Record<string, unknown>): ClaimOverrides {
  const claims: ClaimOverrides = { event_name: eventName };
  const set = (key: keyof ClaimOverrides & string, value: unknown): void => {
    const text = scalar(value);
    if (text !== undefined) claims[key] = text;
  };
  const repo = record(payload['repository']);
  if (repo !== undefined) {
    set('repository', repo['full_name']);
    set('repository_id', repo['id']);
    const repoOwner = record(repo['owner']);
    set('repository_owner', repoOwner?.['login']);
    set('repository_owner_id', repoOwner?.['id']);
    if (typeof repo['visibility'] === 'string') claims.repository_visibility = repo['visibility'];
    else if (typeof repo['private'] === 'boolean')
      claims.repository_visibility = repo['private'] ? 'private' : 'public';
  }
  const who = record(payload['sender']);
  set('actor', who?.['login']);
  set('actor_id', who?.['id']);
  const pr = record(payload['pull_request']);
  if ((eventName === 'pull_request' || eventName === 'pull_request_target') && pr !== undefined) {
    const head = record(pr['head']);
    claims.head_ref = scalar(head?.['ref']) ?? '';
    claims.base_ref = scalar(record(pr['base'])?.['ref']) ?? '';
    if (eventName === 'pull_request') {
      claims.ref = `refs/pull/${scalar(pr['number']) ?? '0'}/merge`;
      // GITHUB_SHA is the merge commit GitHub creates; the payload names it when it is already known.
      const merge = scalar(pr['merge_commit_sha']);
      claims.sha = merge !== undefined && merge !== '' ? merge : (scalar(head?.['sha']) ?? '');
    } else {
      claims.ref = `refs/heads/${claims.base_ref}`;
    }
  } else if (eventName === 'push') {
    set('ref', payload['ref']);
    set('sha', payload['after']);
  } else {
    set('ref', payload['ref']);
  }
  return claims;
}

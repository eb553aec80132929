// A guard server with the GitHub App extension, against the GitHub stand-in with the App's routes, plus
// helpers to open a job session, register a held step and deliver signed webhooks built from GitHub's
// published example payloads.
import { readFile } from 'node:fs/promises';
import type { EmitterWebhookEvent, EmitterWebhookEventName } from '@octokit/webhooks';
import { GuardServerClient } from '../../../client/server-api.js';
import { sha256Hex } from '../../../lib/digest.js';
import { addGitHubApp, type GitHubAppStandIn } from '../../../stand-ins/github-app/index.js';
import {
  startGitHubStandIn,
  type ClaimOverrides,
  type GitHubStandIn,
} from '../../../stand-ins/github/index.js';
import type { RunningServer } from '../../start-server.js';
import { startServerFor } from '../../../test/support/stack.js';
import { createGitHubExtension, WEBHOOK_PATH, type GitHubExtension } from '../extension.js';

export const REPO = 'octo-org/octo-repo';
export const INSTALLATION_ID = 31_415_926;
export const PR = 7;
export const HEAD_SHA = 'd6fde92930d4715a2b49857d24b940956b26d2d3';

export function policy(extra: { min?: number; reviewers?: string[]; expireAfter?: string } = {}): string {
  return `
kind: repository
name: octo-deploy
match:
  repository: [${REPO}]
allow-forks: true
approvals:
  reviewers: [${(extra.reviewers ?? ['alice', 'bob', 'octocat', '@octo-org/sre']).map((r) => JSON.stringify(r)).join(', ')}]
  min: ${extra.min ?? 1}
  expire-after: ${extra.expireAfter ?? '1h'}
steps:
  - when: { script-matches: "deploy" }
    action: require-approval
`;
}

export interface Harness {
  github: GitHubStandIn;
  app: GitHubAppStandIn;
  server: RunningServer;
  ext: GitHubExtension;
  logs: string[];
  clock: { offsetMs: number };
  webhookUrl: string;
  close(): Promise<void>;
}

export async function startHarness(
  options: { policies?: Record<string, string>; secrets?: string; claims?: ClaimOverrides } = {},
): Promise<Harness> {
  const github = await startGitHubStandIn({
    claims: {
      event_name: 'pull_request',
      ref: `refs/pull/${PR}/merge`,
      sha: HEAD_SHA,
      actor: 'octocat',
      triggering_actor: 'octocat',
      ...options.claims,
    },
  });
  const app = addGitHubApp(github, {
    webhookSecret: 'current-secret',
    installations: [
      { id: INSTALLATION_ID, account: 'octo-org', accountType: 'Organization', repositories: [REPO] },
    ],
  });
  app.setTeam('octo-org/sre', ['carol']);
  const ext = createGitHubExtension({ sweepIntervalMs: 3_600_000, throttle: false });
  const logs: string[] = [];
  const clock = { offsetMs: 0 };
  let server: RunningServer;
  try {
    server = await startServerFor(github, {
      config: { sessionTtlSec: 6 * 3600, maxWaitSec: 5 },
      log: (line) => logs.push(line),
      now: () => new Date(Date.now() + clock.offsetMs),
      policies: options.policies ?? { 'octo-deploy.yml': policy() },
      extensions: [ext],
      env: {
        GUARD_GITHUB_APP_ID: String(app.appId),
        GUARD_GITHUB_APP_PRIVATE_KEY: app.privateKeyPem,
        GUARD_GITHUB_WEBHOOK_SECRET: options.secrets ?? 'current-secret',
        GUARD_GITHUB_API_URL: github.apiUrl,
      },
    });
  } catch (error) {
    await github.close();
    throw error;
  }
  return {
    github,
    app,
    server,
    ext,
    logs,
    clock,
    webhookUrl: `${server.url}${WEBHOOK_PATH}`,
    async close() {
      await server.close();
      await github.close();
    },
  };
}

/** Opens a job session and registers a step policy holds; returns the approval id once it is on GitHub. */
export async function heldStep(
  h: Harness,
  script = './scripts/deploy.sh --env prod',
  claims: ClaimOverrides = {},
): Promise<{ approvalId: string; stepId: string; client: GuardServerClient }> {
  const token = await h.github.signToken({ ...h.github.claims(claims), aud: 'guard' });
  const opened = await new GuardServerClient(h.server.url).openSession(token, 'deploy');
  const run = `${opened.identity.run_id}/${opened.identity.run_attempt}/deploy`;
  const client = new GuardServerClient(h.server.url, opened.session.credential, run);
  const registration = await client.registerStep({
    name: 'Deploy',
    kind: 'shell',
    script,
    scriptSha256: sha256Hex(script),
  });
  if (!registration.approval) throw new Error(`step was not held: ${registration.decision.reason}`);
  await h.ext.settled();
  return { approvalId: registration.approval.id, stepId: registration.step.id, client };
}

interface ExampleGroup {
  name: string;
  examples: Record<string, unknown>[];
}
let examples: Promise<ExampleGroup[]> | undefined;

export type Payload<E extends EmitterWebhookEventName> = EmitterWebhookEvent<E>['payload'];

/** A published example payload (deep copy), e.g. `example('issue_comment.created')`. */
export async function example<E extends EmitterWebhookEventName>(name: E): Promise<Payload<E>> {
  const [event, action] = name.split('.');
  examples ??= readFile(
    new URL('../../../node_modules/@octokit/webhooks-examples/api.github.com/index.json', import.meta.url),
    'utf8',
  ).then((text) => JSON.parse(text) as ExampleGroup[]);
  const found = (await examples).find((g) => g.name === event)?.examples.find((e) => e.action === action);
  if (!found) throw new TypeError(`no published example of ${name}`);
  return structuredClone(found);
}

interface RepositoryEvent {
  repository?: { name: string; full_name: string; id: number; owner: { login: string; id: number } | null };
  installation?: { id: number; node_id: string };
  sender?: { login: string; type: string } | null;
}

/** Points an example at the test repository and installation, as GitHub would for the installed App. */
export function inRepository<T extends RepositoryEvent>(payload: T, sender: string): T {
  if (payload.repository) {
    Object.assign(payload.repository, { name: 'octo-repo', full_name: REPO, id: 892345671 });
    if (payload.repository.owner)
      Object.assign(payload.repository.owner, { login: 'octo-org', id: 65432198 });
  }
  payload.installation = { id: INSTALLATION_ID, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMzE0MTU5MjY=' };
  if (payload.sender) Object.assign(payload.sender, { login: sender, type: 'User' });
  return payload;
}

export async function commentPayload(
  body: string,
  login: string,
  action: 'created' | 'edited' | 'deleted' = 'created',
): Promise<Payload<'issue_comment'>> {
  const payload = inRepository(await example(`issue_comment.${action}`), login);
  payload.issue.number = PR;
  Object.assign(payload.issue, {
    pull_request: {
      url: `https://api.github.com/repos/${REPO}/pulls/${PR}`,
      html_url: '',
      diff_url: '',
      patch_url: '',
    },
  });
  payload.comment.id = Math.floor(Math.random() * 1e9);
  payload.comment.body = body;
  Object.assign(payload.comment, { performed_via_github_app: null });
  if (payload.comment.user) Object.assign(payload.comment.user, { login, type: 'User' });
  return payload;
}

export async function buttonPayload(
  identifier: string,
  login: string,
  checkRunId: number,
  appId: number,
): Promise<Payload<'check_run.requested_action'>> {
  const payload = inRepository(await example('check_run.requested_action'), login);
  payload.requested_action = { identifier };
  payload.check_run.id = checkRunId;
  if (payload.check_run.app) payload.check_run.app.id = appId;
  return payload;
}

// Starts what a guarded job talks to: the GitHub stand-in (OIDC issuer, artifact service, REST) and a
// guard server trusting it, on loopback ports, with the given policy files. `close()` stops both.
import {
  startGitHubStandIn,
  type GitHubStandIn,
  type GitHubStandInOptions,
} from '../../stand-ins/github/index.js';
import { policySetFromTexts } from '../../policies/set.js';
import { addReviewer } from '../../server/reviewers.js';
import { startServer, type RunningServer } from '../../server/start-server.js';
import type { ServerConfig } from '../../server/config.js';
import type { ServerExtension } from '../../server/extension.js';

export const DEMO_POLICY = `
kind: repository
name: octo-deploy
match:
  repository: [octo-org/octo-repo]
  repository_id: ['892345671']
approvals:
  reviewers: [alice, bob, octocat]
  min: 1
  expire-after: 1h
steps:
  - when: { script-matches: "deploy|terraform apply" }
    action: require-approval
  - when: { script-matches: "rm -rf /" }
    action: block
    reason: never on a runner
`;

export interface Stack {
  github: GitHubStandIn;
  server: RunningServer;
  reviewerToken(login: string): Promise<string>;
  close(): Promise<void>;
}

export interface ServerForOptions {
  /** Policy files by name; default the demo policy above. */
  policies?: Record<string, string>;
  config?: Partial<ServerConfig>;
  now?: () => Date;
  log?: (line: string) => void;
  extensions?: readonly ServerExtension[];
  env?: NodeJS.ProcessEnv;
}

/** A guard server on port 0 that trusts `github` as its OIDC issuer, with test-friendly defaults. */
export function startServerFor(
  github: GitHubStandIn,
  options: ServerForOptions = {},
): Promise<RunningServer> {
  return startServer(
    {
      host: '127.0.0.1',
      port: 0,
      issuers: [github.issuer],
      audience: 'guard',
      sessionTtlSec: 3600,
      sessionMaxSec: 24 * 3600,
      maxWaitSec: 25,
      ...options.config,
    },
    {
      log: options.log ?? (() => {}),
      policies: policySetFromTexts(options.policies ?? { 'octo-deploy.yml': DEMO_POLICY }),
      ...(options.now ? { now: options.now } : {}),
      ...(options.extensions ? { extensions: options.extensions } : {}),
      ...(options.env ? { env: options.env } : {}),
    },
  );
}

export async function startStack(
  options: ServerForOptions & { github?: GitHubStandInOptions } = {},
): Promise<Stack> {
  const github = await startGitHubStandIn(options.github);
  let server: RunningServer;
  try {
    server = await startServerFor(github, options);
  } catch (error) {
    await github.close();
    throw error;
  }
  return {
    github,
    server,
    reviewerToken: (login) => addReviewer(server.ctx.db, login),
    async close() {
      await server.close();
      await github.close();
    },
  };
}

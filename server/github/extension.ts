// The GitHub App integration: check runs and PR comments for approvals, webhooks (comment commands,
// check-run buttons, reviews), deployment protection rules, and team/permission lookups for reviewers.
// Enabled when the App is configured (see docs/github-app.md); otherwise it installs nothing.
import { getApproval } from '../approvals.js';
import type { ServerExtension } from '../extension.js';
import { BackgroundWork } from './background.js';
import { readGitHubAppConfig } from './config.js';
import { pruneDeliveries } from './deliveries.js';
import { answerDecidedDeployment } from './deployment-gate.js';
import { createDispatcher } from './dispatcher.js';
import { GitHubClient } from './github-client.js';
import { ApprovalPublisher } from './publisher.js';
import { GitHubReviewerDirectory } from './reviewer-directory.js';
import { webhookHandler } from './webhook-route.js';

export const WEBHOOK_PATH = '/v1/github/webhooks';
const DELIVERY_RETENTION_MS = 30 * 24 * 3600_000;

export interface GitHubExtension extends ServerExtension {
  /** Resolves when every webhook and publication started so far has finished (tests; shutdown). */
  settled(): Promise<void>;
  /** Expires pending approvals whose time is up, so their check runs, comments and deployments are answered. */
  sweepExpired(): Promise<number>;
}

export interface GitHubExtensionOptions {
  /** How often pending approvals are checked for expiry (default 30 s). */
  sweepIntervalMs?: number;
  /** Pace writes to GitHub as it advises (default true); tests against the stand-in turn it off. */
  throttle?: boolean;
}

export function createGitHubExtension(options: GitHubExtensionOptions = {}): GitHubExtension {
  const installed: { background: BackgroundWork; sweep: () => Promise<number> }[] = [];
  return {
    name: 'github-app',
    async install(ctx, router, env) {
      const config = readGitHubAppConfig(env);
      if (!config) {
        ctx.log('GitHub App not configured (GUARD_GITHUB_APP_ID unset); approvals are not shown on GitHub');
        return undefined;
      }
      const client = new GitHubClient(config, { throttle: options.throttle ?? true });
      const directory = new GitHubReviewerDirectory(client);
      ctx.reviewerDirectory = directory;
      const publisher = new ApprovalPublisher(ctx, client);
      const background = new BackgroundWork((line) => ctx.log(`github: ${line}`));
      const deps = { ctx, client, directory, publisher, appId: config.appId };

      ctx.approvalEvents.on('requested', ({ approval }) => {
        background.run(`publishing approval ${approval.id}`, () => publisher.publish(approval));
      });
      // The decision is stored already; GitHub catches up in the background, so no decision waits on it.
      ctx.approvalEvents.on('decided', ({ approval }) => {
        background.run(`answering decided approval ${approval.id}`, async () => {
          await Promise.all([
            publisher.refresh(await getApproval(ctx, approval.id)),
            answerDecidedDeployment(deps, approval),
          ]);
        });
      });

      router.add(
        'POST',
        WEBHOOK_PATH,
        webhookHandler({
          ctx,
          secrets: config.webhookSecrets,
          background,
          dispatch: createDispatcher(deps, config.webhookSecrets[0] ?? ''),
        }),
      );

      const sweep = async () => {
        const { rows } = await ctx.db.query<{ id: string }>(
          `select id from approvals where status = 'pending' and expires_at <= $1 order by expires_at`,
          [ctx.now()],
        );
        // getApproval applies expiry once (conditional update) and announces it; 'decided' does the rest.
        for (const { id } of rows) await getApproval(ctx, id);
        await pruneDeliveries(ctx.db, new Date(ctx.now().getTime() - DELIVERY_RETENTION_MS));
        return rows.length;
      };
      const entry = { background, sweep };
      installed.push(entry);
      const timer = setInterval(() => {
        background.run('expiry sweep', async () => void (await sweep()));
      }, options.sweepIntervalMs ?? 30_000);
      timer.unref();
      ctx.log(`GitHub App ${config.appId} enabled (API ${config.apiUrl}; webhooks at ${WEBHOOK_PATH})`);
      return async () => {
        clearInterval(timer);
        await background.settled();
        installed.splice(installed.indexOf(entry), 1);
      };
    },
    async settled() {
      for (const { background } of [...installed]) await background.settled();
    },
    async sweepExpired() {
      let expired = 0;
      for (const { sweep } of [...installed]) expired += await sweep();
      await this.settled();
      return expired;
    },
  };
}

export const githubExtension: GitHubExtension = createGitHubExtension();

// A guard server with the review page installed, in front of the GitHub stand-in, plus the job side's
// calls (open a session, register a held step) so tests have something to review.
import { GuardServerClient } from '../../../client/server-api.js';
import { sha256Hex } from '../../../lib/digest.js';
import { startGitHubStandIn, type GitHubStandIn } from '../../../stand-ins/github/index.js';
import { startServerFor } from '../../../test/support/stack.js';
import type { ServerExtension } from '../../extension.js';
import { addReviewer } from '../../reviewers.js';
import type { RunningServer } from '../../start-server.js';
import type { Database } from '../../storage/database.js';
import { splitStatements } from '../../storage/migrations.js';
import { createReviewPageExtension, type ReviewPageOptions } from '../extension.js';
import { REVIEW_PAGE_MIGRATIONS } from '../migrations.js';

export interface ReviewStack {
  github: GitHubStandIn;
  server: RunningServer;
  url: string;
  reviewerToken(login: string): Promise<string>;
  /** Opens a job session (actor octocat) and registers a step; a script matching "deploy" is held. */
  holdStep(script: string, name?: string): Promise<HeldStep>;
  close(): Promise<void>;
}

export interface HeldStep {
  approvalId: string;
  stepId: string;
  script: string;
  /** sha256 of the raw script: what the reviewer approves. */
  digest: string;
  client: GuardServerClient;
}

export async function startReviewStack(
  options: {
    page?: ReviewPageOptions;
    now?: () => Date;
    publicUrl?: string;
    /** Policy files by name; default the shared demo policy (reviewers alice, bob, octocat; min 1). */
    policies?: Record<string, string>;
  } = {},
): Promise<ReviewStack> {
  const github = await startGitHubStandIn();
  let server: RunningServer;
  try {
    server = await startServerFor(github, {
      config: options.publicUrl ? { publicUrl: options.publicUrl } : {},
      ...(options.policies ? { policies: options.policies } : {}),
      extensions: [withSchema(createReviewPageExtension(options.page))],
      env: {},
      ...(options.now ? { now: options.now } : {}),
    });
  } catch (error) {
    await github.close();
    throw error;
  }
  return {
    github,
    server,
    url: server.url,
    reviewerToken: (login) => addReviewer(server.ctx.db, login),
    async holdStep(script, name = 'Deploy') {
      const token = await github.signToken({ ...github.claims(), aud: 'guard' });
      const opened = await new GuardServerClient(server.url).openSession(token, 'deploy');
      const run = `${opened.identity.run_id}/${opened.identity.run_attempt}/deploy`;
      const client = new GuardServerClient(server.url, opened.session.credential, run);
      const registration = await client.registerStep({
        name,
        kind: 'shell',
        script,
        scriptSha256: sha256Hex(script),
      });
      if (!registration.approval) throw new Error(`step '${script}' was not held for approval`);
      return {
        approvalId: registration.approval.id,
        stepId: registration.step.id,
        script,
        digest: sha256Hex(script),
        client,
      };
    },
    async close() {
      await server.close();
      await github.close();
    },
  };
}

/**
 * Applies the review page's migrations when the server's list does not carry them yet, then installs the
 * page; once they are listed in server/storage/migrations.ts this does nothing extra.
 */
function withSchema(extension: ServerExtension): ServerExtension {
  return {
    name: extension.name,
    async install(ctx, router, env) {
      await applyMissing(ctx.db);
      return extension.install(ctx, router, env);
    },
  };
}

async function applyMissing(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    const done = new Set(
      (await tx.query<{ id: number }>('select id from schema_migrations')).rows.map((row) => row.id),
    );
    for (const migration of REVIEW_PAGE_MIGRATIONS) {
      if (done.has(migration.id)) continue;
      for (const statement of splitStatements(migration.sql)) await tx.query(statement);
      await tx.query('insert into schema_migrations (id, name) values ($1, $2)', [
        migration.id,
        migration.name,
      ]);
    }
  });
}

// The review page as a server extension: reviewers sign in with their credential at /review and decide the
// requests waiting for them. Always on; it answers only to registered reviewer credentials.
import { GuardError } from '../../lib/errors.js';
import type { ServerExtension } from '../extension.js';
import { REVIEW_PAGE_MIGRATIONS } from './migrations.js';
import { REVIEW_SESSION_TTL_MS } from './review-sessions.js';
import { addReviewPageRoutes } from './routes.js';

export interface ReviewPageOptions {
  /** How long a sign-in lasts (default 8 h). */
  sessionTtlMs?: number;
  /** How often a signed-in page reloads to show new requests (default 30 s; 0 turns it off). */
  refreshSeconds?: number;
}

export const DEFAULT_REFRESH_SECONDS = 30;

export function createReviewPageExtension(options: ReviewPageOptions = {}): ServerExtension {
  return {
    name: 'review-page',
    async install(ctx, router) {
      // Fail at start, not at the first sign-in, when the schema lacks the page's table.
      const ids = REVIEW_PAGE_MIGRATIONS.map((migration) => migration.id);
      const { rows } = await ctx.db.query<{ id: number }>(
        'select id from schema_migrations where id = any($1::int[])',
        [ids],
      );
      if (rows.length !== ids.length) {
        throw new GuardError(
          'CONFIG_INVALID',
          'guard: the review page tables are missing (migration 500 not applied); REVIEW_PAGE_MIGRATIONS must be listed in server/storage/migrations.ts',
        );
      }
      addReviewPageRoutes(ctx, router, {
        sessionTtlMs: options.sessionTtlMs ?? REVIEW_SESSION_TTL_MS,
        refreshSeconds: options.refreshSeconds ?? DEFAULT_REFRESH_SECONDS,
      });
      return undefined;
    },
  };
}

export const reviewPageExtension = createReviewPageExtension();

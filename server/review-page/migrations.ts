// Tables of the review page (ids 500-599).
export const REVIEW_PAGE_MIGRATIONS: readonly { id: number; name: string; sql: string }[] = [
  {
    id: 500,
    name: 'review page sessions',
    sql: `
      -- A reviewer signed in to the review page. Only digests are kept: of the cookie's opaque token, and of
      -- the reviewer credential it was opened with, so re-keying a reviewer ends their page sessions too.
      create table review_sessions (
        token_sha256 text primary key,
        login text not null references reviewers(login) on delete cascade,
        credential_sha256 text not null,
        created_at timestamptz not null,
        expires_at timestamptz not null
      );
      create index review_sessions_expiry on review_sessions (expires_at);
    `,
  },
];

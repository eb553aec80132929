// Schema history. Append only: a released migration is never edited, so every replica and every
// existing data folder reaches the same schema. Run under an advisory lock so replicas starting together
// do not race.
import type { Database } from './database.js';
import { GITHUB_MIGRATIONS } from '../github/migrations.js';
import { RUNNER_MIGRATIONS } from '../runner/migrations.js';
import { SSH_MIGRATIONS } from '../ssh/migrations.js';
import { REVIEW_PAGE_MIGRATIONS } from '../review-page/migrations.js';

export interface Migration {
  id: number;
  name: string;
  sql: string;
}

const CORE_MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    name: 'sessions, steps, approvals',
    sql: `
      create table sessions (
        id text primary key,
        credential_sha256 text not null unique,
        claims jsonb not null,
        repository text not null,
        repository_id text not null,
        run_id text not null,
        run_attempt text not null,
        job text not null,
        policy jsonb not null,
        status text not null default 'open',
        created_at timestamptz not null default now(),
        expires_at timestamptz not null,
        closed_at timestamptz,
        manifest_sha256 text
      );
      create index sessions_run on sessions (repository_id, run_id, run_attempt);

      -- One row per accepted OIDC token: a replayed token is refused, across replicas too.
      create table used_tokens (
        jti text primary key,
        expires_at timestamptz not null
      );

      create table steps (
        id text primary key,
        session_id text not null references sessions(id),
        seq integer not null,
        name text not null,
        kind text not null,
        target text,
        script_sha256 text not null,
        script_masked text not null,
        decision text not null,
        rule text,
        reason text not null,
        status text not null,
        exit_code integer,
        cast_sha256 text,
        mask_counts jsonb,
        created_at timestamptz not null default now(),
        started_at timestamptz,
        ended_at timestamptz,
        unique (session_id, seq)
      );

      -- One approval request: for a guarded step, a held SQL statement, a whole job (runner hook) or a
      -- deployment (protection rule). What is approved is named by its digest, so a change needs a new one.
      create table approvals (
        id text primary key,
        kind text not null,
        session_id text references sessions(id),
        step_id text references steps(id),
        repository text not null,
        run_id text,
        run_attempt text,
        actor text,
        triggering_actor text,
        title text not null,
        body text not null,
        digest text not null,
        context jsonb not null default '{}',
        status text not null default 'pending',
        required integer not null,
        reviewers jsonb not null,
        allow_self_approval boolean not null,
        created_at timestamptz not null default now(),
        expires_at timestamptz not null,
        decided_at timestamptz,
        reason text
      );
      create index approvals_pending on approvals (status, created_at);
      create index approvals_step on approvals (step_id);

      create table approval_votes (
        approval_id text not null references approvals(id),
        reviewer text not null,
        decision text not null,
        channel text not null,
        comment text,
        at timestamptz not null default now(),
        primary key (approval_id, reviewer)
      );

      create table reviewers (
        login text primary key,
        credential_sha256 text not null unique,
        created_at timestamptz not null default now()
      );

      -- The server's own record of everything that happened in a session (and refusals with no session).
      create table events (
        id bigserial primary key,
        session_id text,
        type text not null,
        body jsonb not null,
        at timestamptz not null default now()
      );
      create index events_session on events (session_id, id);
    `,
  },
  {
    id: 2,
    name: 'signing keys and the evidence ledger',
    sql: `
      -- Private halves sealed with the server secret (server/secret-box.ts); times kept as the ISO text
      -- that was signed, so they round-trip exactly.
      create table signing_keys (
        key_id text primary key,
        algorithm text not null,
        private_key_sealed text not null,
        not_before text not null,
        not_after text,
        created_at timestamptz not null default now()
      );

      -- Append-only, hash-chained record of every closed session's manifest digest (audit/ledger.ts).
      create table ledger (
        seq bigint primary key,
        kind text not null,
        session_id text,
        repository text,
        manifest_sha256 text,
        through_seq bigint,
        through_hash text,
        reason text,
        at text not null,
        prev text not null,
        hash text not null
      );

      create table ledger_checkpoints (
        seq bigint primary key,
        hash text not null,
        at text not null,
        envelope jsonb not null
      );

      -- The database itself refuses to rewrite history: rows are never updated, and deleted only by the
      -- retention job, which first appends a row saying what goes.
      create function guard_ledger_guard() returns trigger language plpgsql as $fn$
      begin
        if tg_op = 'DELETE' and current_setting('guard.retention', true) = 'on' then
          return old;
        end if;
        raise exception 'guard: the ledger is append-only (% refused)', tg_op;
      end
      $fn$;
      create trigger ledger_append_only before update or delete on ledger
        for each row execute function guard_ledger_guard();
    `,
  },
  {
    id: 3,
    name: 'registered databases',
    sql: `
      -- Database connections the platform team registers; released (unsealed) only to a session whose
      -- db step was allowed or approved. The whole connection (host, user, password, TLS) is sealed.
      create table databases (
        name text primary key,
        connection_sealed text not null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      );
    `,
  },
  {
    id: 4,
    name: 'approvals by run',
    sql: `
      -- A session that opens looks up the deployment gate approval of its run (server/deployment-link.ts).
      create index approvals_run on approvals (repository, run_id, kind);
    `,
  },
];

/** Core ids 1-99; each server part owns a range of its own, so parts add tables without colliding. */
export const MIGRATIONS: readonly Migration[] = [
  ...CORE_MIGRATIONS,
  ...GITHUB_MIGRATIONS,
  ...RUNNER_MIGRATIONS,
  ...SSH_MIGRATIONS,
  ...REVIEW_PAGE_MIGRATIONS,
];

export async function migrate(db: Database): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock(724211)');
    await tx.query(
      'create table if not exists schema_migrations (id integer primary key, name text not null, applied_at timestamptz not null default now())',
    );
    const done = new Set(
      (await tx.query<{ id: number }>('select id from schema_migrations')).rows.map((row) => row.id),
    );
    let applied = 0;
    for (const migration of MIGRATIONS) {
      if (done.has(migration.id)) continue;
      for (const statement of splitStatements(migration.sql)) await tx.query(statement);
      await tx.query('insert into schema_migrations (id, name) values ($1, $2)', [
        migration.id,
        migration.name,
      ]);
      applied++;
    }
    return applied;
  });
}

/**
 * Splits a migration into statements at a ';' that ends a line outside a dollar-quoted body ($fn$ ... $fn$),
 * which is all the SQL migrations here use; comment lines are dropped.
 */
export function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let current: string[] = [];
  let quote: string | undefined;
  for (const line of sql.split('\n')) {
    if (quote === undefined && /^\s*--/.test(line)) continue;
    current.push(line);
    for (const tag of line.match(/\$[A-Za-z_]*\$/g) ?? [])
      quote = quote === undefined ? tag : quote === tag ? undefined : quote;
    if (quote === undefined && /;\s*$/.test(line)) {
      statements.push(current.join('\n').trim().replace(/;$/, ''));
      current = [];
    }
  }
  const rest = current.join('\n').trim();
  if (rest) statements.push(rest);
  return statements.filter((statement) => statement.length > 0);
}

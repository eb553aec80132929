// Tables of the runner hooks (ids 200-299).
export const RUNNER_MIGRATIONS: readonly { id: number; name: string; sql: string }[] = [
  {
    id: 200,
    name: 'runners, runner jobs, shipped recordings',
    sql: `
      -- A self-hosted runner the platform team registered; only the credential's digest is kept.
      create table runners (
        id text primary key,
        name text not null unique,
        labels jsonb not null default '[]',
        credential_sha256 text not null unique,
        created_at timestamptz not null default now(),
        disabled_at timestamptz
      );

      -- One job a runner was asked to run: what the hook reported, what policy decided, how it ended.
      create table runner_jobs (
        id text primary key,
        runner_id text not null references runners(id),
        repository text not null,
        repository_id text not null,
        run_id text not null,
        run_attempt text not null,
        job text not null,
        report jsonb not null,
        decision text not null,
        reason text not null,
        policy text,
        require_guard boolean not null default false,
        approval_id text references approvals(id),
        status text not null,
        outcome jsonb,
        created_at timestamptz not null default now(),
        completed_at timestamptz
      );
      create index runner_jobs_key on runner_jobs (runner_id, repository_id, run_id, run_attempt, job, created_at);

      -- Recording files a job-completed hook shipped because the action's post step could not upload them.
      create table runner_recordings (
        session_id text not null references sessions(id),
        path text not null,
        runner_job_id text not null references runner_jobs(id),
        size bigint not null,
        sha256 text not null,
        received bigint not null default 0,
        data bytea not null default ''::bytea,
        complete boolean not null default false,
        created_at timestamptz not null default now(),
        completed_at timestamptz,
        primary key (session_id, path)
      );
    `,
  },
];

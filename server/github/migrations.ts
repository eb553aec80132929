// Tables of the GitHub App integration (ids 100-199).
export const GITHUB_MIGRATIONS: readonly { id: number; name: string; sql: string }[] = [
  {
    id: 100,
    name: 'github webhook deliveries',
    sql: `
      -- One row per accepted webhook delivery. The delivery id and the digest of the signed body are each
      -- unique, so a replayed delivery is refused on every replica, whether or not its id was changed.
      create table github_deliveries (
        delivery_id text primary key,
        payload_sha256 text not null unique,
        event text not null,
        action text,
        received_at timestamptz not null default now(),
        processed_at timestamptz,
        outcome text
      );
      create index github_deliveries_received on github_deliveries (received_at);
    `,
  },
];

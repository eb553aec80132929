// Tables of SSH steps (ids 400-499).
export const SSH_MIGRATIONS: readonly { id: number; name: string; sql: string }[] = [
  {
    id: 400,
    name: 'registered ssh targets',
    sql: `
      -- SSH targets the platform team registers; released (unsealed) only to a session whose ssh step was
      -- allowed or approved. The whole target (host, user, private key, passphrase, pinned host keys) is
      -- sealed; summary holds only what list shows (where it points, key fingerprints), never a secret.
      create table ssh_targets (
        name text primary key,
        target_sealed text not null,
        summary jsonb not null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      );
    `,
  },
];

// The credential broker for database steps: connections registered by the platform team, sealed at rest,
// and released only to the session whose `guard --db NAME` step the server has just released.
import { GuardError } from '../lib/errors.js';
import type { UpstreamConfig } from '../pg-proxy/upstream.js';
import type { SecretBox } from './secret-box.js';
import type { Queryable } from './storage/database.js';

const NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;

export async function registerDatabase(
  db: Queryable,
  box: SecretBox,
  name: string,
  connection: UpstreamConfig,
): Promise<void> {
  if (!NAME.test(name))
    throw new GuardError(
      'BAD_INPUT',
      `guard: database name '${name}' must be lower-case letters, digits, '.', '_' or '-'`,
    );
  await db.query(
    `insert into databases (name, connection_sealed) values ($1, $2)
     on conflict (name) do update set connection_sealed = excluded.connection_sealed, updated_at = now()`,
    [name, box.seal(JSON.stringify(connection))],
  );
}

export async function removeDatabase(db: Queryable, name: string): Promise<boolean> {
  return (await db.query('delete from databases where name = $1', [name])).rowCount > 0;
}

/** Names and where they point (never the password). */
export async function listDatabases(
  db: Queryable,
  box: SecretBox,
): Promise<{ name: string; host: string; port: number; user: string; database: string; tls: string }[]> {
  const { rows } = await db.query<{ name: string; connection_sealed: string }>(
    'select name, connection_sealed from databases order by name',
  );
  return rows.map((row) => {
    const connection = JSON.parse(box.open(row.connection_sealed)) as UpstreamConfig;
    return {
      name: row.name,
      host: connection.host,
      port: connection.port,
      user: connection.user,
      database: connection.database,
      tls: connection.ssl?.mode ?? 'disable',
    };
  });
}

export async function releaseDatabase(db: Queryable, box: SecretBox, name: string): Promise<UpstreamConfig> {
  const { rows } = await db.query<{ connection_sealed: string }>(
    'select connection_sealed from databases where name = $1',
    [name],
  );
  const row = rows[0];
  if (!row)
    throw new GuardError(
      'NOT_FOUND',
      `guard: no database '${name}' is registered on the guard server; the platform team adds it with \`guard server db add ${name} --url ...\``,
    );
  return JSON.parse(box.open(row.connection_sealed)) as UpstreamConfig;
}

export async function databaseRegistered(db: Queryable, name: string): Promise<boolean> {
  return (await db.query('select 1 from databases where name = $1', [name])).rowCount > 0;
}

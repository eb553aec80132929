// The platform team's one-off commands (`guard reviewer add`, `guard server keys|db|ssh`, `guard runner add`)
// open the server's database exactly as `guard server` would, from the same flags and environment.
import { parseServerConfig, type ServerConfig } from './config.js';
import { openDatabase, type Database } from './storage/database.js';
import { migrate } from './storage/migrations.js';

export async function withServerDatabase<T>(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  fn: (db: Database, config: ServerConfig) => Promise<T>,
): Promise<T> {
  const config = parseServerConfig(argv, env);
  if (!config.databaseUrl && !config.dataDir) config.dataDir = '.guard-data';
  const db = await openDatabase(
    config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir ?? '.guard-data' },
  );
  try {
    await migrate(db);
    return await fn(db, config);
  } finally {
    await db.close();
  }
}

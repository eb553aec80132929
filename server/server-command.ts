// `guard server` and `guard reviewer add`: the platform team's commands.
import { describeError, GuardError } from '../lib/errors.js';
import { parseServerConfig } from './config.js';
import { addReviewer } from './reviewers.js';
import { startServer } from './start-server.js';
import { openDatabase } from './storage/database.js';
import { migrate } from './storage/migrations.js';

interface IO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

const SERVER_HELP = `guard server - the approval server

Options (flag, or environment variable):
  --host HOST            GUARD_HOST          address to listen on (default 127.0.0.1)
  --port N               PORT                port (default 8080; 0 = any free port)
  --public-url URL       GUARD_PUBLIC_URL    URL runners and reviewers use to reach the server
  --database-url URL     DATABASE_URL        PostgreSQL server; without it, embedded PGlite is used
  --data-dir DIR         GUARD_DATA_DIR      PGlite data folder (default .guard-data)
  --issuer URL[,URL]     GUARD_ISSUERS       trusted OIDC issuers (default GitHub's)
  --audience AUD         GUARD_AUDIENCE      expected token audience (default guard)
  --policy DIR           GUARD_POLICY_DIR    policy folder (no folder: every job is refused)
  --session-ttl SEC      GUARD_SESSION_TTL   session credential lifetime (default 21600)
  --max-wait SEC         GUARD_MAX_WAIT      longest held wait request (default 25)
`;

export async function runServerCommand(argv: string[], io: IO): Promise<number> {
  if (argv.includes('--help')) {
    io.stdout.write(SERVER_HELP);
    return 0;
  }
  const config = parseServerConfig(argv, io.env);
  if (!config.databaseUrl && !config.dataDir) config.dataDir = '.guard-data';
  const server = await startServer(config);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  io.stdout.write('guard server: shutting down\n');
  await server.close();
  return 0;
}

export async function runReviewerCommand(argv: string[], io: IO): Promise<number> {
  const [verb, login, ...rest] = argv;
  if (verb !== 'add' || !login) {
    io.stderr.write('usage: guard reviewer add LOGIN [--data-dir DIR | --database-url URL]\n');
    return 2;
  }
  const config = parseServerConfig(rest, io.env);
  const db = await openDatabase(
    config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir ?? '.guard-data' },
  );
  try {
    await migrate(db);
    const credential = await addReviewer(db, login);
    io.stdout.write(`${credential}\n`);
    io.stderr.write(
      `reviewer ${login} registered; give them this credential (shown once) as GUARD_REVIEWER_TOKEN\n`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof GuardError)) throw error;
    io.stderr.write(`${describeError(error)}\n`);
    return 1;
  } finally {
    await db.close();
  }
}

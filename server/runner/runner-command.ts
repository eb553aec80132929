// `guard runner add NAME [--labels a,b]` and `guard runner disable NAME`: the platform team registers each
// self-hosted runner and gets its credential once, to pipe into `guard runner-hook install`.
import { withServerDatabase } from '../command-database.js';
import { describeError, GuardError } from '../../lib/errors.js';
import { addRunner, disableRunner } from './runner-credentials.js';

interface IO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

const USAGE =
  'usage: guard runner add NAME [--labels L1,L2] [--data-dir DIR | --database-url URL]\n' +
  '       guard runner disable NAME [--data-dir DIR | --database-url URL]\n';

export async function runRunnerCommand(argv: string[], io: IO): Promise<number> {
  const [verb, name, ...rest] = argv;
  if ((verb !== 'add' && verb !== 'disable') || !name || name.startsWith('-')) {
    io.stderr.write(USAGE);
    return 2;
  }
  let labels: string[] = [];
  const serverArgs: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] ?? '';
    const inline = /^--labels=(.*)$/.exec(arg);
    if (inline || arg === '--labels') {
      const value = inline ? inline[1] : rest[++i];
      if (value === undefined) {
        io.stderr.write('guard runner: --labels needs a value\n');
        return 2;
      }
      labels = value
        .split(',')
        .map((l) => l.trim())
        .filter(Boolean);
    } else serverArgs.push(arg);
  }
  try {
    return await withServerDatabase(serverArgs, io.env, async (db) => {
      if (verb === 'disable') {
        const done = await disableRunner(db, name);
        io.stderr.write(
          done
            ? `runner ${name} disabled; its credential is refused from now on\n`
            : `no enabled runner named ${name}\n`,
        );
        return done ? 0 : 1;
      }
      const { credential } = await addRunner(db, name, labels);
      io.stdout.write(`${credential}\n`);
      io.stderr.write(
        `runner ${name} registered${labels.length > 0 ? ` with labels ${labels.join(', ')}` : ''}; the credential is shown once: ` +
          'pipe it into `guard runner-hook install --server URL --runner-dir DIR` on the runner\n',
      );
      return 0;
    });
  } catch (error) {
    if (!(error instanceof GuardError)) throw error;
    io.stderr.write(`${describeError(error)}\n`);
    return 1;
  }
}

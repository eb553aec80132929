// `guard` command line: one entry, subcommands loaded on demand so `shell: guard {0}` starts fast and the
// runner never loads the server's database drivers.
import { describeError } from '../lib/errors.js';

const USAGE = `guard - CI/CD pipeline guard for GitHub Actions

Usage:
  guard [run] [--db NAME | --ssh NAME] [--name NAME] SCRIPT   run a guarded step (what \`shell: guard {0}\` calls)
  guard server [options]                      start the approval server (guard server --help)
  guard reviewer add LOGIN                    register a reviewer and print their credential
  guard runner add NAME [--labels a,b]        register a self-hosted runner for the job hooks
  guard runner-hook install --server URL --runner-dir DIR   install the job hooks on a runner
  guard approve ID [--comment TEXT]           approve a held step (GUARD_SERVER_URL, GUARD_REVIEWER_TOKEN)
  guard deny ID --reason TEXT                 deny a held step
  guard mask [--packs P,..] [--secret V]      mask secrets and personal data from stdin to stdout
  guard policy check|test|explain DIR         validate and test policy files
  guard audit verify|pull|verify-ledger ...   verify audit evidence
  guard proxy pg --listen ADDR --upstream URL a recording, masking Postgres proxy
  guard demo                                  the whole guarded flow, locally
  guard --version
`;

type Command = (argv: string[]) => Promise<number>;

const io = {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
};

const COMMANDS: Record<string, Command> = {
  run: async (argv) => (await import('../shell-proxy/guard-run.js')).runGuardedStep(argv, io),
  server: async (argv) => (await import('../server/server-command.js')).runServerCommand(argv, io),
  reviewer: async (argv) => (await import('../server/server-command.js')).runReviewerCommand(argv, io),
  approve: async (argv) => (await import('./decide-command.js')).runDecideCommand('approve', argv, io),
  deny: async (argv) => (await import('./decide-command.js')).runDecideCommand('deny', argv, io),
  mask: async (argv) => (await import('../masking/mask-command.js')).runMaskCommand(argv, io),
  policy: async (argv) => (await import('../policies/policy-command.js')).runPolicyCommand(argv, io),
  audit: async (argv) => (await import('../audit/verify-command.js')).runAuditCommand(argv, io),
  proxy: async (argv) => {
    if (argv[0] !== 'pg') {
      io.stderr.write("guard proxy: only 'guard proxy pg ...' exists\n");
      return 2;
    }
    return (await import('../pg-proxy/proxy-command.js')).runProxyPgCommand(argv.slice(1), io);
  },
  'runner-hook': async (argv) =>
    (await import('../runner-hook/install-command.js')).runRunnerHookCommand(argv, io),
  runner: async (argv) => (await import('../server/runner/runner-command.js')).runRunnerCommand(argv, io),
  demo: async (argv) => (await import('../demo/run-demo.js')).runDemo(argv, io),
};

export async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  try {
    if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
      process.stdout.write(USAGE);
      return first === undefined ? 2 : 0;
    }
    if (first === '--version') {
      process.stdout.write('guard 0.1.0\n');
      return 0;
    }
    const command = COMMANDS[first];
    // `shell: guard {0}` passes the script path (or --db/--ssh first): anything that is not a command
    // name is a guarded step. A command name is never an absolute path, which is what the runner passes.
    if (!command) return await COMMANDS.run!(argv);
    return await command(rest);
  } catch (error) {
    process.stderr.write(`${describeError(error)}\n`);
    return 1;
  }
}

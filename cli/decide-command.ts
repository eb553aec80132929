// `guard approve ID` / `guard deny ID --reason TEXT`: a reviewer's decision through the server's API.
import { GuardServerClient } from '../client/server-api.js';
import { GuardError, describeError } from '../lib/errors.js';

export async function runDecideCommand(
  decision: 'approve' | 'deny',
  argv: readonly string[],
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream; env: NodeJS.ProcessEnv },
): Promise<number> {
  try {
    let id: string | undefined;
    let server = io.env.GUARD_SERVER_URL;
    let token = io.env.GUARD_REVIEWER_TOKEN;
    let comment: string | undefined;
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i];
      if (arg === '--server') server = argv[++i];
      else if (arg === '--token') token = argv[++i];
      else if (arg === '--comment' || arg === '--reason') comment = argv[++i];
      else if (arg?.startsWith('--'))
        throw new GuardError('BAD_INPUT', `guard ${decision}: unknown option ${arg}`);
      else id = arg;
    }
    if (!id)
      throw new GuardError('BAD_INPUT', `guard ${decision}: which approval? usage: guard ${decision} ID`);
    if (!server)
      throw new GuardError(
        'BAD_INPUT',
        `guard ${decision}: no server; pass --server URL or set GUARD_SERVER_URL`,
      );
    if (!token)
      throw new GuardError(
        'BAD_INPUT',
        `guard ${decision}: no reviewer credential; pass --token or set GUARD_REVIEWER_TOKEN (from \`guard reviewer add\`)`,
      );
    if (decision === 'deny' && !comment)
      throw new GuardError('BAD_INPUT', 'guard deny: say why with --reason TEXT; the author reads it');
    const state = await new GuardServerClient(server, token).decide(id, decision, comment);
    const approvals = state.votes.filter((vote) => vote.decision === 'approve').length;
    io.stdout.write(`approval ${state.id}: ${state.status} (${approvals}/${state.required} approvals)\n`);
    return 0;
  } catch (error) {
    io.stderr.write(`${describeError(error)}\n`);
    return 1;
  }
}

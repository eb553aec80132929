import { createRequire as __guardCreateRequire } from 'node:module'; import { fileURLToPath as __guardFileURLToPath } from 'node:url'; import { dirname as __guardDirname } from 'node:path'; const require = __guardCreateRequire(import.meta.url); const __guard_filename = __guardFileURLToPath(import.meta.url); const __guard_dirname = __guardDirname(__guard_filename);
import {
  GuardServerClient
} from "./chunk-RZN5DC6H.js";
import "./chunk-TF3SHLX6.js";
import {
  GuardError,
  describeError
} from "./chunk-I2IPMUGB.js";
import "./chunk-VTIIOCZ3.js";

// cli/decide-command.ts
async function runDecideCommand(decision, argv, io) {
  try {
    let id;
    let server = io.env.GUARD_SERVER_URL;
    let token = io.env.GUARD_REVIEWER_TOKEN;
    let comment;
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i];
      if (arg === "--server") server = argv[++i];
      else if (arg === "--token") token = argv[++i];
      else if (arg === "--comment" || arg === "--reason") comment = argv[++i];
      else if (arg?.startsWith("--"))
        throw new GuardError("BAD_INPUT", `guard ${decision}: unknown option ${arg}`);
      else id = arg;
    }
    if (!id)
      throw new GuardError("BAD_INPUT", `guard ${decision}: which approval? usage: guard ${decision} ID`);
    if (!server)
      throw new GuardError(
        "BAD_INPUT",
        `guard ${decision}: no server; pass --server URL or set GUARD_SERVER_URL`
      );
    if (!token)
      throw new GuardError(
        "BAD_INPUT",
        `guard ${decision}: no reviewer credential; pass --token or set GUARD_REVIEWER_TOKEN (from \`guard reviewer add\`)`
      );
    if (decision === "deny" && !comment)
      throw new GuardError("BAD_INPUT", "guard deny: say why with --reason TEXT; the author reads it");
    const state = await new GuardServerClient(server, token).decide(id, decision, comment);
    const approvals = state.votes.filter((vote) => vote.decision === "approve").length;
    io.stdout.write(`approval ${state.id}: ${state.status} (${approvals}/${state.required} approvals)
`);
    return 0;
  } catch (error) {
    io.stderr.write(`${describeError(error)}
`);
    return 1;
  }
}
export {
  runDecideCommand
};

#!/usr/bin/env node
import { createRequire as __guardCreateRequire } from 'node:module'; import { fileURLToPath as __guardFileURLToPath } from 'node:url'; import { dirname as __guardDirname } from 'node:path'; const require = __guardCreateRequire(import.meta.url); const __guard_filename = __guardFileURLToPath(import.meta.url); const __guard_dirname = __guardDirname(__guard_filename);
import {
  describeError
} from "./chunks/chunk-I2IPMUGB.js";
import "./chunks/chunk-VTIIOCZ3.js";

// cli/dispatch.ts
var USAGE = `guard - CI/CD pipeline guard for GitHub Actions

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
var io = {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd()
};
var COMMANDS = {
  run: async (argv) => (await import("./chunks/guard-run-6RM4JWYZ.js")).runGuardedStep(argv, io),
  server: async (argv) => (await import("./chunks/server-command-RT3MDQNP.js")).runServerCommand(argv, io),
  reviewer: async (argv) => (await import("./chunks/server-command-RT3MDQNP.js")).runReviewerCommand(argv, io),
  approve: async (argv) => (await import("./chunks/decide-command-AAQ5NNEM.js")).runDecideCommand("approve", argv, io),
  deny: async (argv) => (await import("./chunks/decide-command-AAQ5NNEM.js")).runDecideCommand("deny", argv, io),
  mask: async (argv) => (await import("./chunks/mask-command-ICB3VQAB.js")).runMaskCommand(argv, io),
  policy: async (argv) => (await import("./chunks/policy-command-KZIWLQUG.js")).runPolicyCommand(argv, io),
  audit: async (argv) => (await import("./chunks/verify-command-I2V342J3.js")).runAuditCommand(argv, io),
  proxy: async (argv) => {
    if (argv[0] !== "pg") {
      io.stderr.write("guard proxy: only 'guard proxy pg ...' exists\n");
      return 2;
    }
    return (await import("./chunks/proxy-command-U47MNKEP.js")).runProxyPgCommand(argv.slice(1), io);
  },
  "runner-hook": async (argv) => (await import("./chunks/install-command-DWKVKB5Q.js")).runRunnerHookCommand(argv, io),
  runner: async (argv) => (await import("./chunks/runner-command-PU6HMZ6O.js")).runRunnerCommand(argv, io),
  demo: async (argv) => (await import("./chunks/run-demo-3JA6IM6F.js")).runDemo(argv, io)
};
async function main(argv) {
  const [first, ...rest] = argv;
  try {
    if (first === void 0 || first === "--help" || first === "-h" || first === "help") {
      process.stdout.write(USAGE);
      return first === void 0 ? 2 : 0;
    }
    if (first === "--version") {
      process.stdout.write("guard 0.1.0\n");
      return 0;
    }
    const command = COMMANDS[first];
    if (!command) return await COMMANDS.run(argv);
    return await command(rest);
  } catch (error) {
    process.stderr.write(`${describeError(error)}
`);
    return 1;
  }
}

// cli/guard.ts
process.exitCode = await main(process.argv.slice(2));

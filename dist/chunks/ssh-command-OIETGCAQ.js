import { createRequire as __guardCreateRequire } from 'node:module'; import { fileURLToPath as __guardFileURLToPath } from 'node:url'; import { dirname as __guardDirname } from 'node:path'; const require = __guardCreateRequire(import.meta.url); const __guard_filename = __guardFileURLToPath(import.meta.url); const __guard_dirname = __guardDirname(__guard_filename);
import {
  withServerDatabase
} from "./chunk-NMIQQXHS.js";
import {
  listSshTargets,
  loadServerSecret,
  registerSshTarget,
  removeSshTarget,
  secretBox
} from "./chunk-UGHC5I7I.js";
import "./chunk-7VDHGFYH.js";
import {
  hostKeysFromKnownHosts
} from "./chunk-UASNS3YF.js";
import {
  GuardError
} from "./chunk-I2IPMUGB.js";
import "./chunk-VTIIOCZ3.js";

// server/ssh/ssh-command.ts
import { readFile } from "node:fs/promises";
var SSH_USAGE = `usage:
  guard server ssh add NAME --host HOST [--port 22] --user USER --key FILE
                        (--host-key 'ssh-ed25519 AAAA...' ... | --known-hosts FILE)
      registers a target for \`shell: guard --ssh NAME {0}\` steps. The host key is required (guard never
      trusts a host on first use): repeat --host-key for each key, or take the host's lines from a
      known_hosts file. An encrypted key's passphrase is read from GUARD_SSH_PASSPHRASE.
  guard server ssh list
  guard server ssh remove NAME
  (each also takes --data-dir DIR or --database-url URL, as \`guard server\` does)
`;
var TARGET_FLAGS = /* @__PURE__ */ new Set(["host", "port", "user", "key", "host-key", "known-hosts"]);
async function runSshTargetCommand(argv, io) {
  const [verb, ...rest] = argv;
  if (verb === "list") {
    return withServerDatabase(rest, io.env, async (db) => {
      const rows = await listSshTargets(db);
      if (rows.length === 0) io.stdout.write("no ssh targets registered\n");
      for (const row of rows)
        io.stdout.write(
          `${row.name}	${row.username}@${row.host}:${row.port}	key=${row.clientKey}	host-keys=${row.hostKeys.join(", ")}
`
        );
      return 0;
    });
  }
  const [name, ...options] = rest;
  if (verb !== "add" && verb !== "remove" || !name || name.startsWith("--")) {
    io.stderr.write(SSH_USAGE);
    return 2;
  }
  if (verb === "remove") {
    return withServerDatabase(options, io.env, async (db) => {
      const removed = await removeSshTarget(db, name);
      io.stdout.write(removed ? `ssh target ${name} removed
` : `no ssh target ${name}
`);
      return removed ? 0 : 1;
    });
  }
  const { flags, serverArgs } = splitFlags(options);
  const missing = ["host", "user", "key"].filter((flag) => !flags.has(flag));
  if (missing.length > 0) {
    io.stderr.write(
      `guard server ssh add: missing ${missing.map((flag) => `--${flag}`).join(", ")}
${SSH_USAGE}`
    );
    return 2;
  }
  const target = await readTarget(flags, io.env);
  return withServerDatabase(serverArgs, io.env, async (db, config) => {
    const summary = await registerSshTarget(db, secretBox(await loadServerSecret(config)), name, target);
    io.stdout.write(
      `ssh target ${name} registered (${summary.username}@${summary.host}:${summary.port}, client key ${summary.clientKey}, host keys ${summary.hostKeys.join(", ")})
`
    );
    io.stderr.write(
      `guard server: the host must accept this key: add its public half to ~${summary.username}/.ssh/authorized_keys (\`ssh-keygen -y -f KEYFILE\` prints it)
`
    );
    return 0;
  });
}
function splitFlags(options) {
  const flags = /* @__PURE__ */ new Map();
  const serverArgs = [];
  for (let i = 0; i < options.length; i++) {
    const arg = options[i] ?? "";
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match?.[1] || !TARGET_FLAGS.has(match[1])) {
      serverArgs.push(arg);
      continue;
    }
    const value = match[2] ?? options[++i];
    if (value === void 0)
      throw new GuardError("BAD_INPUT", `guard server ssh add: --${match[1]} needs a value`);
    flags.set(match[1], [...flags.get(match[1]) ?? [], value]);
  }
  return { flags, serverArgs };
}
async function readTarget(flags, env) {
  const one = (flag) => flags.get(flag)?.at(-1) ?? "";
  const host = one("host");
  const port = flags.has("port") ? Number(one("port")) : 22;
  const hostKeys = [...flags.get("host-key") ?? []];
  for (const file of flags.get("known-hosts") ?? []) {
    const found = hostKeysFromKnownHosts(await readText(file, "known_hosts file"), host, port);
    if (found.length === 0)
      throw new GuardError(
        "BAD_INPUT",
        `guard server ssh add: ${file} has no key for ${port === 22 ? host : `[${host}]:${port}`}; check the host name and port, or pass --host-key`
      );
    hostKeys.push(...found.map((key) => key.line));
  }
  if (hostKeys.length === 0)
    throw new GuardError(
      "BAD_INPUT",
      `guard server ssh add: pin the host's key with --host-key 'ssh-ed25519 AAAA...' (from /etc/ssh/ssh_host_ed25519_key.pub on the host) or --known-hosts FILE; guard never trusts a host on first use`
    );
  const passphrase = env.GUARD_SSH_PASSPHRASE;
  return {
    host,
    port,
    username: one("user"),
    privateKey: await readText(one("key"), "private key file"),
    ...passphrase ? { passphrase } : {},
    hostKeys
  };
}
async function readText(file, what) {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    throw new GuardError("BAD_INPUT", `guard server ssh add: cannot read the ${what} ${file}`, {
      cause: error
    });
  }
}
export {
  SSH_USAGE,
  runSshTargetCommand
};

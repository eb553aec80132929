import { createRequire as __guardCreateRequire } from 'node:module'; import { fileURLToPath as __guardFileURLToPath } from 'node:url'; import { dirname as __guardDirname } from 'node:path'; const require = __guardCreateRequire(import.meta.url); const __guard_filename = __guardFileURLToPath(import.meta.url); const __guard_dirname = __guardDirname(__guard_filename);
import {
  addRunner,
  disableRunner
} from "./chunk-ILLGFAFE.js";
import {
  withServerDatabase
} from "./chunk-NMIQQXHS.js";
import "./chunk-7VDHGFYH.js";
import "./chunk-74IGE3EL.js";
import "./chunk-IZR5YBT4.js";
import "./chunk-QV6IKAJV.js";
import "./chunk-QYAVXIQQ.js";
import "./chunk-KIAGOMB5.js";
import "./chunk-A5XFMG5Z.js";
import "./chunk-LROATGUR.js";
import "./chunk-USEWQYAI.js";
import "./chunk-RLLPX6DD.js";
import "./chunk-RUVNZ2BJ.js";
import "./chunk-CJTZJTWV.js";
import "./chunk-PPEQLLQ3.js";
import {
  GuardError,
  describeError
} from "./chunk-I2IPMUGB.js";
import "./chunk-VTIIOCZ3.js";

// server/runner/runner-command.ts
var USAGE = "usage: guard runner add NAME [--labels L1,L2] [--data-dir DIR | --database-url URL]\n       guard runner disable NAME [--data-dir DIR | --database-url URL]\n";
async function runRunnerCommand(argv, io) {
  const [verb, name, ...rest] = argv;
  if (verb !== "add" && verb !== "disable" || !name || name.startsWith("-")) {
    io.stderr.write(USAGE);
    return 2;
  }
  let labels = [];
  const serverArgs = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] ?? "";
    const inline = /^--labels=(.*)$/.exec(arg);
    if (inline || arg === "--labels") {
      const value = inline ? inline[1] : rest[++i];
      if (value === void 0) {
        io.stderr.write("guard runner: --labels needs a value\n");
        return 2;
      }
      labels = value.split(",").map((l) => l.trim()).filter(Boolean);
    } else serverArgs.push(arg);
  }
  try {
    return await withServerDatabase(serverArgs, io.env, async (db) => {
      if (verb === "disable") {
        const done = await disableRunner(db, name);
        io.stderr.write(
          done ? `runner ${name} disabled; its credential is refused from now on
` : `no enabled runner named ${name}
`
        );
        return done ? 0 : 1;
      }
      const { credential } = await addRunner(db, name, labels);
      io.stdout.write(`${credential}
`);
      io.stderr.write(
        `runner ${name} registered${labels.length > 0 ? ` with labels ${labels.join(", ")}` : ""}; the credential is shown once: pipe it into \`guard runner-hook install --server URL --runner-dir DIR\` on the runner
`
      );
      return 0;
    });
  } catch (error) {
    if (!(error instanceof GuardError)) throw error;
    io.stderr.write(`${describeError(error)}
`);
    return 1;
  }
}
export {
  runRunnerCommand
};

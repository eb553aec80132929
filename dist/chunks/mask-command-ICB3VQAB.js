import { createRequire as __guardCreateRequire } from 'node:module'; import { fileURLToPath as __guardFileURLToPath } from 'node:url'; import { dirname as __guardDirname } from 'node:path'; const require = __guardCreateRequire(import.meta.url); const __guard_filename = __guardFileURLToPath(import.meta.url); const __guard_dirname = __guardDirname(__guard_filename);
import {
  createMaskedOutput
} from "./chunk-KTCFTCQJ.js";
import {
  DEFAULT_PACKS,
  PACK_NAMES,
  createMasker
} from "./chunk-P6WCDXRM.js";
import {
  describeError
} from "./chunk-I2IPMUGB.js";
import "./chunk-VTIIOCZ3.js";

// masking/mask-command.ts
import { readFile } from "node:fs/promises";
import { once } from "node:events";
var USAGE = `usage: guard mask [--packs LIST] [--secret VALUE]... [--secrets-file FILE]... [--counts]

Reads stdin, writes it to stdout with secrets and personal data masked.
  --packs LIST         comma-separated rule packs (default: all: ${DEFAULT_PACKS.join(",")});
                       --packs none masks known values only
  --secret VALUE       a known secret to mask, with its encodings (repeatable; visible to ps, prefer a file)
  --secrets-file FILE  known secrets, one per line (repeatable)
  --counts             print masked counts by type (JSON) to stderr at the end
`;
async function runMaskCommand(argv, io) {
  let args;
  try {
    args = parseArgs(argv);
  } catch (error) {
    io.stderr.write(`guard mask: ${describeError(error)}
${USAGE}`);
    return 2;
  }
  if (args.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  try {
    const secrets = [...args.secrets];
    for (const file of args.secretFiles) {
      const text = await readFile(file, "utf8");
      secrets.push(...text.split(/\r?\n/).filter((line) => line.trim() !== ""));
    }
    const masker = createMasker({ packs: args.packs, secrets });
    await pipe(masker.stream(), io);
    if (args.counts) io.stderr.write(`${JSON.stringify(masker.counts())}
`);
    return 0;
  } catch (error) {
    io.stderr.write(`guard mask: ${describeError(error)}
`);
    return 1;
  }
}
async function pipe(stream, io) {
  let drained;
  const output = createMaskedOutput(stream, {
    // The shared log is the record: `::add-mask::` values are masked there too.
    record: (text) => {
      if (!io.stdout.write(text) && drained === void 0) {
        drained = once(io.stdout, "drain");
        drained.catch(() => void 0);
      }
    },
    runner: () => void 0
  });
  const backPressure = async () => {
    while (drained !== void 0) {
      const waiting = drained;
      drained = void 0;
      await waiting;
    }
  };
  for await (const chunk of io.stdin) {
    output.write(typeof chunk === "string" || Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    await backPressure();
  }
  output.end();
  await backPressure();
}
function parseArgs(argv) {
  const args = {
    packs: [...DEFAULT_PACKS],
    secrets: [],
    secretFiles: [],
    counts: false,
    help: false
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    const eq = arg.indexOf("=");
    const name = arg.startsWith("--") && eq !== -1 ? arg.slice(0, eq) : arg;
    const value = () => {
      if (arg.startsWith("--") && eq !== -1) return arg.slice(eq + 1);
      const next = argv[++i];
      if (next === void 0) throw new TypeError(`${name} needs a value`);
      return next;
    };
    switch (name) {
      case "-h":
      case "--help":
        args.help = true;
        break;
      case "--packs": {
        const list = value().trim();
        args.packs = list === "none" || list === "" ? [] : list.split(",").map((p) => p.trim());
        const unknown = args.packs.filter((p) => !PACK_NAMES.includes(p));
        if (unknown.length > 0)
          throw new TypeError(
            `unknown pack ${unknown.join(", ")}; valid packs are: ${PACK_NAMES.join(", ")}`
          );
        break;
      }
      case "--secret":
        args.secrets.push(value());
        break;
      case "--secrets-file":
        args.secretFiles.push(value());
        break;
      case "--counts":
        args.counts = true;
        break;
      default:
        throw new TypeError(`unknown argument '${arg}'`);
    }
  }
  return args;
}
export {
  runMaskCommand
};

// `guard mask`: a filter from stdin to stdout, for cleaning a log before sharing it (and for benchmarks).
import { readFile } from 'node:fs/promises';
import { once } from 'node:events';
import { describeError } from '../lib/errors.js';
import { createMasker, DEFAULT_PACKS, PACK_NAMES, type StreamMasker } from './masker.js';
import { createMaskedOutput } from './mask-transform.js';

export interface MaskCommandIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

const USAGE = `usage: guard mask [--packs LIST] [--secret VALUE]... [--secrets-file FILE]... [--counts]

Reads stdin, writes it to stdout with secrets and personal data masked.
  --packs LIST         comma-separated rule packs (default: all: ${DEFAULT_PACKS.join(',')});
                       --packs none masks known values only
  --secret VALUE       a known secret to mask, with its encodings (repeatable; visible to ps, prefer a file)
  --secrets-file FILE  known secrets, one per line (repeatable)
  --counts             print masked counts by type (JSON) to stderr at the end
`;

interface MaskArgs {
  packs: string[];
  secrets: string[];
  secretFiles: string[];
  counts: boolean;
  help: boolean;
}

/** Runs `guard mask`; resolves to the exit code (0 ok, 1 runtime failure, 2 usage error). */
export async function runMaskCommand(argv: string[], io: MaskCommandIo): Promise<number> {
  let args: MaskArgs;
  try {
    args = parseArgs(argv);
  } catch (error) {
    io.stderr.write(`guard mask: ${describeError(error)}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  try {
    const secrets = [...args.secrets];
    for (const file of args.secretFiles) {
      const text = await readFile(file, 'utf8');
      secrets.push(...text.split(/\r?\n/).filter((line) => line.trim() !== ''));
    }
    const masker = createMasker({ packs: args.packs, secrets });
    await pipe(masker.stream(), io);
    if (args.counts) io.stderr.write(`${JSON.stringify(masker.counts())}\n`);
    return 0;
  } catch (error) {
    io.stderr.write(`guard mask: ${describeError(error)}\n`);
    return 1;
  }
}

async function pipe(stream: StreamMasker, io: MaskCommandIo): Promise<void> {
  // When stdout holds data back, the promise of its next 'drain', taken at the write that was refused. A
  // flag checked later was not enough: the partial-line timer writes too, between reads, and its 'drain'
  // could come and go before the loop looked, leaving it waiting for one that never came; the process then
  // ended with exit code 0 and the output cut short (seen with `guard mask < big.log | wc -c`).
  let drained: Promise<unknown> | undefined;
  const output = createMaskedOutput(stream, {
    // The shared log is the record: `::add-mask::` values are masked there too.
    record: (text) => {
      if (!io.stdout.write(text) && drained === undefined) {
        drained = once(io.stdout, 'drain');
        // Awaited below; an error before then must not count as unhandled.
        drained.catch(() => undefined);
      }
    },
    runner: () => undefined,
  });
  const backPressure = async (): Promise<void> => {
    while (drained !== undefined) {
      const waiting = drained;
      drained = undefined;
      await waiting;
    }
  };
  for await (const chunk of io.stdin) {
    output.write(typeof chunk === 'string' || Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    await backPressure();
  }
  output.end();
  await backPressure();
}

function parseArgs(argv: string[]): MaskArgs {
  const args: MaskArgs = {
    packs: [...DEFAULT_PACKS],
    secrets: [],
    secretFiles: [],
    counts: false,
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq !== -1 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      if (arg.startsWith('--') && eq !== -1) return arg.slice(eq + 1);
      const next = argv[++i];
      if (next === undefined) throw new TypeError(`${name} needs a value`);
      return next;
    };
    switch (name) {
      case '-h':
      case '--help':
        args.help = true;
        break;
      case '--packs': {
        const list = value().trim();
        args.packs = list === 'none' || list === '' ? [] : list.split(',').map((p) => p.trim());
        const unknown = args.packs.filter((p) => !PACK_NAMES.includes(p));
        if (unknown.length > 0)
          throw new TypeError(
            `unknown pack ${unknown.join(', ')}; valid packs are: ${PACK_NAMES.join(', ')}`,
          );
        break;
      }
      case '--secret':
        args.secrets.push(value());
        break;
      case '--secrets-file':
        args.secretFiles.push(value());
        break;
      case '--counts':
        args.counts = true;
        break;
      default:
        throw new TypeError(`unknown argument '${arg}'`);
    }
  }
  return args;
}

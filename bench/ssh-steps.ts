// SSH steps: per-step overhead (connect, pinned host key, login, run `true`) and output throughput
// through guard's SSH client against a local guarded step, both masked and recorded. Needs sshd.
// Run: node bench/run.mjs bench/ssh-steps.ts [megabytes=50] [runs=10]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createMasker } from '../masking/masker.js';
import { openStepRecording } from '../recording/recording-files.js';
import { runScript } from '../shell-proxy/run-script.js';
import { runRemoteScript } from '../ssh/remote-run.js';
import { hasSshd, startSshd } from '../ssh/test/sshd.js';

const megabytes = Number(process.argv[2] ?? 50);
const runs = Number(process.argv[3] ?? 10);
if (!hasSshd) {
  console.log('sshd is not installed (apt-get install -y openssh-server); nothing measured');
  process.exit(0);
}
const sink = () =>
  new Writable({
    write(_chunk, _encoding, done) {
      done();
    },
  });

const sshd = await startSshd();
const dir = await mkdtemp(join(tmpdir(), 'guard-bench-ssh-'));
let cast = 0;
const target = {
  host: sshd.host,
  port: sshd.port,
  username: sshd.user,
  privateKey: sshd.clientKey,
  hostKeys: [sshd.hostKey],
};

async function step(where: 'local' | 'ssh', script: string): Promise<number> {
  const recording = await openStepRecording(
    join(dir, `${++cast}.cast`),
    { cols: 120, rows: 40 },
    { mode: 'strict' },
  );
  const common = {
    script: Buffer.from(script),
    masker: createMasker(),
    recording,
    strict: true,
    stdout: sink(),
    stderr: sink(),
  };
  const started = performance.now();
  const result =
    where === 'local'
      ? await runScript({ ...common, env: process.env, cwd: dir })
      : await runRemoteScript({ ...common, target });
  const elapsed = performance.now() - started;
  await recording.close();
  if (result.exitCode !== 0) throw new Error(`${where} step failed with ${result.exitCode}`);
  return elapsed;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

try {
  const overhead: Record<'local' | 'ssh', number[]> = { local: [], ssh: [] };
  for (let i = 0; i < runs; i++)
    for (const where of ['local', 'ssh'] as const) overhead[where].push(await step(where, 'true\n'));
  const output = `head -c ${megabytes * 1_000_000} /dev/zero | tr '\\0' 'a' | fold -w 99\n`;
  const throughput: Record<'local' | 'ssh', number[]> = { local: [], ssh: [] };
  for (let i = 0; i < 3; i++)
    for (const where of ['local', 'ssh'] as const) throughput[where].push(await step(where, output));
  const mbps = (ms: number) => (megabytes / (ms / 1000)).toFixed(1);
  console.log(
    `step running \`true\`, median of ${runs} (ssh: connect, pinned host key, ed25519 login, run):`,
  );
  console.log(
    `  local ${median(overhead.local).toFixed(0)} ms   ssh ${median(overhead.ssh).toFixed(0)} ms   ratio ${(median(overhead.ssh) / median(overhead.local)).toFixed(1)}x`,
  );
  console.log(`${megabytes} MB of output (100-byte lines), masked (all packs) and recorded, median of 3:`);
  console.log(
    `  local ${mbps(median(throughput.local))} MB/s   ssh ${mbps(median(throughput.ssh))} MB/s   ssh/local time ${(median(throughput.ssh) / median(throughput.local)).toFixed(2)}x`,
  );
} finally {
  await sshd.stop();
  await rm(dir, { recursive: true, force: true });
}

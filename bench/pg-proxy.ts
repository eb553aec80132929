// Benchmark: pgbench -S (select-only, simple protocol) direct to PostgreSQL, through guard's proxy with
// recording on, through guard's proxy with recording and result masking on, and through pgbouncer when
// installed; same client count, rounds interleaved, in one run. guard without recording is measured too,
// to tell the cost of the wire handling from the cost of the hash-chained record. Prints TPS ratios to
// direct and the p99 latency guard adds (from pgbench's per-transaction log). Needs PostgreSQL on 127.0.0.1:5432 (trust),
// pgbench, and optionally pgbouncer (pg-proxy/test/setup-scram-cluster.sh installs it).
//
// Besides TPS, each row says the CPU time spent per transaction: by the proxy (this process, from
// process.cpuUsage; the proxies run in it) and by everything else on the machine (PostgreSQL, pgbench,
// neighbours; from /proc/stat). Per-transaction CPU is far less sensitive to a noisy neighbour than TPS.
// A bare Node.js TCP relay (no parsing, no recording) is measured too: the floor for any Node.js proxy.
//
//   node bench/run.mjs bench/pg-proxy.ts [--clients 4] [--seconds 10] [--rounds 3] [--scale 5]
//     [--targets direct,relay,bare,recorded,masked,pgbouncer]

import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { createMasker } from '../masking/masker.js';
import { startPgProxy, type PgProxy, type ProxyEvent } from '../pg-proxy/proxy.js';
import { openRecordFile } from '../pg-proxy/record-file.js';

const exec = promisify(execFile);
const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const clients = arg('clients', 4);
const seconds = arg('seconds', 10);
const rounds = arg('rounds', 3);
const scale = arg('scale', 5);
const only = process.argv.includes('--targets')
  ? process.argv[process.argv.indexOf('--targets') + 1]!.split(',')
  : undefined;

interface Target {
  readonly key: string;
  readonly name: string;
  readonly env: Record<string, string>;
}

interface Sample {
  readonly tps: number;
  readonly latenciesUs: number[];
  readonly transactions: number;
  /** CPU microseconds of this process (where the proxies run) over the run. */
  readonly ownCpuUs: number;
  /** CPU microseconds of the whole machine over the run (all cores, from /proc/stat). */
  readonly allCpuUs: number;
}

/** Busy CPU time of the whole machine so far, in microseconds (/proc/stat, all but idle and iowait). */
async function machineCpuUs(): Promise<number> {
  try {
    const first = (await readFile('/proc/stat', 'utf8')).split('\n')[0]!;
    const ticks = first.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal guest guest_nice: guest is counted in user already.
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0] = ticks;
    const busy = user + nice + system + irq + softirq;
    return (busy * 1e6) / 100; // USER_HZ is 100 on Linux
  } catch {
    return NaN;
  }
}

/** The cheapest proxy Node.js can be: bytes relayed as they come, no parsing, no recording. */
async function startBareRelay(port: number): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((down) => {
    const up = connect({ host: '127.0.0.1', port });
    for (const s of [down, up]) {
      s.setNoDelay(true);
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    down.pipe(up);
    up.pipe(down);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  return {
    port: typeof address === 'object' && address !== null ? address.port : 0,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a !== null ? a.port : 0));
    });
  });
}

async function pgbench(target: Target, dir: string, extra: string[] = []): Promise<Sample> {
  const prefix = join(dir, `log-${target.name.replace(/\W/g, '_')}-${randomBytes(3).toString('hex')}`);
  const args = [
    '-n',
    '-S',
    '-M',
    'simple',
    '-c',
    String(clients),
    '-j',
    String(Math.min(clients, 2)),
    '-T',
    String(seconds),
    '-l',
    `--log-prefix=${prefix}`,
    ...extra,
  ];
  const cpuBefore = process.cpuUsage();
  const allBefore = await machineCpuUs();
  const { stdout } = await exec('pgbench', args, {
    env: { PATH: process.env.PATH, ...target.env },
    cwd: dir,
    maxBuffer: 1 << 24,
  });
  const cpu = process.cpuUsage(cpuBefore);
  const allCpuUs = (await machineCpuUs()) - allBefore;
  const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(stdout)?.[1]);
  const transactions = Number(/number of transactions actually processed: (\d+)/.exec(stdout)?.[1]);
  const latenciesUs: number[] = [];
  for (const file of (await readdir(dir)).filter((f) => join(dir, f).startsWith(prefix))) {
    for (const line of (await readFile(join(dir, file), 'utf8')).split('\n')) {
      const us = Number(line.split(' ')[2]);
      if (Number.isFinite(us) && line !== '') latenciesUs.push(us);
    }
    await rm(join(dir, file));
  }
  return { tps, latenciesUs, transactions, ownCpuUs: cpu.user + cpu.system, allCpuUs };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const median = (xs: number[]): number => percentile(xs, 50);

async function startPgbouncer(
  dir: string,
  database: string,
): Promise<{ port: number; stop: () => Promise<void> } | undefined> {
  const binary = ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer'].find((p) => existsSync(p));
  if (binary === undefined) return undefined;
  const port = await freePort();
  const ini = join(dir, 'pgbouncer.ini');
  await writeFile(join(dir, 'users.txt'), '"postgres" ""\n');
  await writeFile(
    ini,
    [
      '[databases]',
      `${database} = host=127.0.0.1 port=5432 dbname=${database} user=postgres`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${join(dir, 'users.txt')}`,
      'pool_mode = session',
      `default_pool_size = ${clients + 2}`,
      'max_client_conn = 200',
      `logfile = ${join(dir, 'pgbouncer.log')}`,
      '',
    ].join('\n'),
  );
  await chmod(dir, 0o777);
  // pgbouncer refuses to run as root.
  const asRoot = process.getuid?.() === 0;
  const child = asRoot
    ? spawn('runuser', ['-u', 'postgres', '--', binary, ini], { stdio: 'ignore' })
    : spawn(binary, [ini], { stdio: 'ignore' });
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 100));
    try {
      const c = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database });
      await c.connect();
      await c.end();
      return {
        port,
        stop: async () => {
          child.kill('SIGTERM');
          await new Promise((r) => child.once('exit', r));
        },
      };
    } catch {
      // not up yet
    }
  }
  child.kill('SIGKILL');
  return undefined;
}

async function main(): Promise<void> {
  const database = `guard_bench_${randomBytes(3).toString('hex')}`;
  const dir = await mkdtemp(join(tmpdir(), 'guard-pg-bench-'));
  const admin = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres' });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const proxies: PgProxy[] = [];
  let bouncer: Awaited<ReturnType<typeof startPgbouncer>>;
  let relay: Awaited<ReturnType<typeof startBareRelay>> | undefined;
  try {
    await exec('pgbench', ['-i', '-q', '-s', String(scale), '-h', '127.0.0.1', '-U', 'postgres', database]);
    const upstream = { host: '127.0.0.1', port: 5432, user: 'postgres', database };
    // The same record file `guard proxy pg --record` writes: hash-chained, batched appends.
    const recordFile = await openRecordFile(join(dir, 'record'), (error) => {
      throw error;
    });
    const record = (event: ProxyEvent, atMs: number): void => recordFile.append(event, atMs);
    const masker = createMasker({});
    const password = randomBytes(12).toString('hex');
    // Without recording: what the wire handling alone costs, to tell it from the cost of the record.
    const bare = await startPgProxy({
      listen: { host: '127.0.0.1', port: 0 },
      upstream,
      clientAuth: { user: 'bench', password },
    });
    const recorded = await startPgProxy({
      listen: { host: '127.0.0.1', port: 0 },
      upstream,
      clientAuth: { user: 'bench', password },
      onEvent: record,
    });
    const masked = await startPgProxy({
      listen: { host: '127.0.0.1', port: 0 },
      upstream,
      clientAuth: { user: 'bench', password },
      onEvent: record,
      maskColumns: ['pgbench_accounts.filler', '*.email'],
      maskValue: (t) => masker.maskText(t),
    });
    proxies.push(bare, recorded, masked);
    relay = await startBareRelay(5432);
    bouncer = await startPgbouncer(dir, database);
    const via = (port: number, user: string, pw = ''): Record<string, string> => ({
      PGHOST: '127.0.0.1',
      PGPORT: String(port),
      PGUSER: user,
      PGPASSWORD: pw,
      PGDATABASE: database,
    });
    const targets: Target[] = [
      { key: 'direct', name: 'direct', env: via(5432, 'postgres') },
      { key: 'relay', name: 'bare Node.js relay', env: via(relay.port, 'postgres') },
      { key: 'bare', name: 'guard (no recording)', env: via(bare.port, 'bench', password) },
      { key: 'recorded', name: 'guard (recording)', env: via(recorded.port, 'bench', password) },
      { key: 'masked', name: 'guard (recording + masking)', env: via(masked.port, 'bench', password) },
      ...(bouncer !== undefined
        ? [{ key: 'pgbouncer', name: 'pgbouncer (session)', env: via(bouncer.port, 'postgres') }]
        : []),
    ].filter((t) => t.key === 'direct' || only === undefined || only.includes(t.key));
    const samples = new Map<string, Sample[]>(targets.map((t) => [t.name, []]));
    // Warm-up (connections, caches), then interleaved rounds so a noisy neighbour hits every target alike.
    for (const t of targets) await pgbench({ ...t }, dir, ['-T', '2']);
    for (let r = 0; r < rounds; r++) {
      for (const t of targets) samples.get(t.name)!.push(await pgbench(t, dir));
    }
    const direct = samples.get('direct')!;
    const directTps = median(direct.map((s) => s.tps));
    const directLat = direct.flatMap((s) => s.latenciesUs);
    const load = (await readFile('/proc/loadavg', 'utf8').catch(() => '?')).split(' ').slice(0, 3);
    const lines = [
      `pgbench -S -M simple, ${clients} clients, ${seconds}s x ${rounds} interleaved rounds, scale ${scale}, ${new Date().toISOString()}, load average ${load.join(' ')} (at the end)`,
      `${'target'.padEnd(30)} ${'TPS (median)'.padStart(12)} ${'vs direct'.padStart(9)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'p99 added'.padStart(10)} ${'proxy CPU/tx'.padStart(12)} ${'other CPU/tx'.padStart(12)}`,
    ];
    for (const t of targets) {
      const s = samples.get(t.name)!;
      const tps = median(s.map((x) => x.tps));
      const lat = s.flatMap((x) => x.latenciesUs);
      const p99 = percentile(lat, 99);
      const transactions = s.reduce((a, x) => a + x.transactions, 0);
      const ownUs = s.reduce((a, x) => a + x.ownCpuUs, 0) / transactions;
      const allUs = s.reduce((a, x) => a + x.allCpuUs, 0) / transactions;
      // Direct and pgbouncer do not run in this process: what it spends then is the benchmark's own idle.
      const inProcess = !['direct', 'pgbouncer'].includes(t.key);
      lines.push(
        `${t.name.padEnd(30)} ${tps.toFixed(0).padStart(12)} ${`${((tps / directTps) * 100).toFixed(1)}%`.padStart(9)} ${(percentile(lat, 50) / 1000).toFixed(3).padStart(7)} ${(p99 / 1000).toFixed(3).padStart(7)} ${`${((p99 - percentile(directLat, 99)) / 1000).toFixed(3)} ms`.padStart(10)} ${(inProcess ? `${ownUs.toFixed(1)} us` : '-').padStart(12)} ${`${(allUs - (inProcess ? ownUs : 0)).toFixed(1)} us`.padStart(12)}`,
      );
    }
    if (bouncer === undefined)
      lines.push('pgbouncer: not installed (apt-get install pgbouncer), not compared');
    lines.push(`guard statements recorded: ${recorded.stats().statements + masked.stats().statements}`);
    process.stdout.write(`${lines.join('\n')}\n`);
    await recordFile.close();
  } finally {
    for (const p of proxies) await p.close();
    await relay?.close();
    await bouncer?.stop();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();

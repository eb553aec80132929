// A throwaway PostgreSQL cluster made with initdb for the tests that need a real server whatever is
// installed as a service: password, md5 and SCRAM-SHA-256 logins (a trust-auth server never asks for
// one), TLS with a test CA, query cancel, COPY FROM STDIN, and a backend that can be killed. It listens on
// a free loopback port and is stopped and removed afterwards. Needs the PostgreSQL server binaries
// (pg-proxy/test/setup-scram-cluster.sh installs them) and openssl.

import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { appendFile, chmod, chown, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export interface TestCluster {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** PEM of the CA that signed the server certificate (CN localhost, SAN localhost and 127.0.0.1). */
  readonly ca: string;
  /** A CA that did not sign it, for the verify-full failure case. */
  readonly otherCa: string;
  /** Roles by login method; each password is its role name + '-pw'. */
  readonly roles: { readonly scram: string; readonly md5: string; readonly password: string };
  readonly database: string;
  /** Runs SQL as the superuser over the cluster's Unix socket. */
  psql(sql: string): Promise<string>;
  stop(): Promise<void>;
}

export function findPgBin(): string {
  const fromEnv = process.env.GUARD_PG_BIN;
  if (fromEnv !== undefined && existsSync(join(fromEnv, 'initdb'))) return fromEnv;
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) if (existsSync(join(base, v, 'bin', 'initdb'))) return join(base, v, 'bin');
  throw new Error(
    'the PostgreSQL server binaries (initdb) are not installed; run pg-proxy/test/setup-scram-cluster.sh as root, or set GUARD_PG_BIN',
  );
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

export async function startCluster(): Promise<TestCluster> {
  const bin = findPgBin();
  const dir = await mkdtemp(join(tmpdir(), 'guard-pgcluster-'));
  try {
    return await setUp(bin, dir);
  } catch (error) {
    // A cluster that started but could not be set up must not outlive the test run.
    const data = join(dir, 'data');
    if (existsSync(join(data, 'postmaster.pid'))) {
      const stop = [join(bin, 'pg_ctl'), '-D', data, '-m', 'immediate', '-w', 'stop'];
      await (
        process.getuid?.() === 0
          ? exec('runuser', ['-u', 'postgres', '--', ...stop])
          : exec(stop[0]!, stop.slice(1))
      ).catch(() => undefined);
    }
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

async function setUp(bin: string, dir: string): Promise<TestCluster> {
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  // initdb refuses to run as root: run the server as the postgres user then.
  const run = async (cmd: string, args: string[]): Promise<string> => {
    const { stdout } = asRoot
      ? await exec('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args], { cwd: dir })
      : await exec(join(bin, cmd), args, { cwd: dir });
    return stdout;
  };
  const port = await freePort();
  await writeFile(join(dir, 'pw'), 'postgres-pw\n');
  await certificates(dir);
  if (asRoot) {
    const { stdout } = await exec('id', ['-u', 'postgres']);
    const { stdout: gid } = await exec('id', ['-g', 'postgres']);
    await chown(dir, Number(stdout), Number(gid));
    for (const f of ['pw', 'server.key', 'server.crt', 'ca.crt'])
      await chown(join(dir, f), Number(stdout), Number(gid));
  }
  await chmod(join(dir, 'server.key'), 0o600);
  await run('initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=scram-sha-256',
    `--pwfile=${join(dir, 'pw')}`,
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  await appendFile(
    join(data, 'postgresql.conf'),
    [
      `port = ${port}`,
      `listen_addresses = '127.0.0.1'`,
      `unix_socket_directories = '${dir}'`,
      'ssl = on',
      `ssl_cert_file = '${join(dir, 'server.crt')}'`,
      `ssl_key_file = '${join(dir, 'server.key')}'`,
      'fsync = off',
      '',
    ].join('\n'),
  );
  await writeFile(
    join(data, 'pg_hba.conf'),
    [
      'local all postgres trust',
      'host all md5user 127.0.0.1/32 md5',
      'host all pwuser 127.0.0.1/32 password',
      'host all all 127.0.0.1/32 scram-sha-256',
      '',
    ].join('\n'),
  );
  await run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '30', 'start']);
  const psql = async (sql: string): Promise<string> =>
    run('psql', [
      '-X',
      '-q',
      '-A',
      '-t',
      '-h',
      dir,
      '-p',
      String(port),
      '-U',
      'postgres',
      '-d',
      'postgres',
      '-v',
      'ON_ERROR_STOP=1',
      '-c',
      sql,
    ]);
  await psql(
    `SET password_encryption = 'md5'; CREATE ROLE md5user LOGIN PASSWORD 'md5user-pw';` +
      ` SET password_encryption = 'scram-sha-256'; CREATE ROLE pwuser LOGIN PASSWORD 'pwuser-pw';` +
      ` CREATE ROLE scramuser LOGIN PASSWORD 'scramuser-pw';` +
      ` GRANT pg_signal_backend TO scramuser;`,
  );
  // CREATE DATABASE cannot run inside the implicit transaction of a multi-statement -c string.
  await psql('CREATE DATABASE app OWNER scramuser');
  await psql('GRANT ALL ON DATABASE app TO md5user, pwuser');
  return {
    host: '127.0.0.1',
    port,
    ca: await readFile(join(dir, 'ca.crt'), 'utf8'),
    otherCa: await readFile(join(dir, 'other-ca.crt'), 'utf8'),
    roles: { scram: 'scramuser', md5: 'md5user', password: 'pwuser' },
    database: 'app',
    psql: (sql) =>
      run('psql', [
        '-X',
        '-q',
        '-A',
        '-t',
        '-h',
        dir,
        '-p',
        String(port),
        '-U',
        'postgres',
        '-d',
        'app',
        '-v',
        'ON_ERROR_STOP=1',
        '-c',
        sql,
      ]),
    stop: async () => {
      try {
        await run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

async function certificates(dir: string): Promise<void> {
  const ssl = (args: string[]): Promise<unknown> => exec('openssl', args, { cwd: dir });
  for (const name of ['ca', 'other-ca']) {
    await ssl([
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      `/CN=guard test ${name}`,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.crt`,
    ]);
  }
  await ssl([
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=localhost',
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
  ]);
  await writeFile(join(dir, 'san.ext'), 'subjectAltName = DNS:localhost, IP:127.0.0.1\n');
  await ssl([
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    'san.ext',
    '-out',
    'server.crt',
  ]);
}

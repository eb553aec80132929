// A real OpenSSH server for tests: its own host key, an authorized_keys for a generated client key, on a
// free loopback port, as the current user. Started with `/usr/sbin/sshd -D -e -f <temp config>`.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const SSHD = '/usr/sbin/sshd';
const run = promisify(execFile);

export const hasSshd = existsSync(SSHD) && ['/usr/bin/ssh-keygen', '/bin/ssh-keygen'].some(existsSync);

export interface TestSshd {
  host: string;
  port: number;
  user: string;
  /** `ssh-ed25519 AAAA...` of the server's host key. */
  hostKey: string;
  /** OpenSSH private key the server accepts (encrypted when a passphrase was asked for). */
  clientKey: string;
  clientPassphrase?: string;
  dir: string;
  /** Everything sshd logged (-e), for diagnosing a failed test. */
  log(): string;
  stop(): Promise<void>;
}

export interface KeyPair {
  privateKey: string;
  publicKey: string;
}

/** An ed25519 key pair made by ssh-keygen (the same format a platform team would register). */
export async function generateKey(dir: string, name: string, passphrase = ''): Promise<KeyPair> {
  const file = join(dir, name);
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-C', `guard-test-${name}`, '-f', file]);
  return {
    privateKey: await readFile(file, 'utf8'),
    publicKey: (await readFile(`${file}.pub`, 'utf8')).trim(),
  };
}

export async function startSshd(options: { passphrase?: string } = {}): Promise<TestSshd> {
  const dir = await mkdtemp(join(tmpdir(), 'guard-sshd-'));
  try {
    const host = await generateKey(dir, 'host_ed25519');
    const client = await generateKey(dir, 'client_ed25519', options.passphrase ?? '');
    await writeFile(join(dir, 'authorized_keys'), `${client.publicKey}\n`, { mode: 0o600 });
    // As root, sshd wants its privilege separation directory (a package install creates it at boot only).
    if (process.getuid?.() === 0) await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
    const user = userInfo().username;
    for (let attempt = 0; ; attempt++) {
      const port = await freePort();
      const config = join(dir, 'sshd_config');
      await writeFile(
        config,
        [
          `ListenAddress 127.0.0.1:${port}`,
          `HostKey ${join(dir, 'host_ed25519')}`,
          `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
          'PidFile none',
          'StrictModes no',
          'UsePAM no',
          'PermitRootLogin prohibit-password',
          'PasswordAuthentication no',
          'KbdInteractiveAuthentication no',
          'PubkeyAuthentication yes',
          `AllowUsers ${user}`,
          'LogLevel VERBOSE',
          '',
        ].join('\n'),
      );
      const started = await launch(config, port);
      if (started === 'port-taken' && attempt < 5) continue;
      if (started === 'port-taken') throw new Error('sshd: no free port after 6 attempts');
      const { child, log } = started;
      return {
        host: '127.0.0.1',
        port,
        user,
        hostKey: host.publicKey.split(' ').slice(0, 2).join(' '),
        clientKey: client.privateKey,
        ...(options.passphrase ? { clientPassphrase: options.passphrase } : {}),
        dir,
        log,
        async stop() {
          if (child.exitCode === null && child.signalCode === null) {
            const exited = new Promise((resolve) => child.once('exit', resolve));
            child.kill('SIGTERM');
            await exited;
          }
          await rm(dir, { recursive: true, force: true });
        },
      };
    }
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** A port that was free a moment ago: sshd cannot listen on port 0, so the caller retries on collision. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function launch(
  config: string,
  port: number,
): Promise<'port-taken' | { child: ChildProcess; log: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    let ready = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`sshd did not start within 10 s:\n${log}`));
    }, 10_000);
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      log += text;
      if (!ready && log.includes(`Server listening on 127.0.0.1 port ${port}`)) {
        ready = true;
        clearTimeout(timer);
        resolve({ child, log: () => log });
      }
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', () => {
      if (ready) return;
      clearTimeout(timer);
      if (/Address already in use/.test(log)) resolve('port-taken');
      else reject(new Error(`sshd exited before it listened:\n${log}`));
    });
  });
}

// The SSH credential broker and `guard server ssh`: targets sealed at rest, listed without secrets,
// released whole, refused without a pinned host key; and a released target that really runs a step.
import { createHmac, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GuardError } from '../../../lib/errors.js';
import { createMasker } from '../../../masking/masker.js';
import { openStepRecording } from '../../../recording/recording-files.js';
import { runRemoteScript } from '../../../ssh/remote-run.js';
import { hasSshd, startSshd } from '../../../ssh/test/sshd.js';
import { secretBox } from '../../secret-box.js';
import { openDatabase, type Database } from '../../storage/database.js';
import { migrate } from '../../storage/migrations.js';
import { runSshTargetCommand } from '../ssh-command.js';
import {
  listSshTargets,
  registerSshTarget,
  releaseSshTarget,
  removeSshTarget,
  sshTargetRegistered,
  type SshTarget,
} from '../ssh-targets.js';

// PKCS#1 PEM keys from node:crypto, so the registry tests run where ssh-keygen is not installed.
const PASSPHRASE = 'registry passphrase 42';
const plainKey = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
}).privateKey;
const encryptedKey = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs1', format: 'pem', cipher: 'aes-128-cbc', passphrase: PASSPHRASE },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
}).privateKey;

function hostKey(): string {
  const name = Buffer.from('ssh-ed25519');
  const header = Buffer.alloc(4);
  header.writeUInt32BE(name.length);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(32);
  return `ssh-ed25519 ${Buffer.concat([header, name, length, randomBytes(32)]).toString('base64')}`;
}

/** A line of the key's base64 body (never empty, so `not.toContain` can fail). */
const keyBody = (pem: string) =>
  pem.split('\n').filter((line) => /^[A-Za-z0-9+/=]{40,}$/.test(line))[1] ?? 'missing';

class Collect extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString('utf8');
    done();
  }
}

describe('the SSH target registry', () => {
  let db: Database;
  const box = secretBox(randomBytes(32));
  const target: SshTarget = {
    host: 'web-1.example.com',
    port: 2222,
    username: 'deploy',
    privateKey: encryptedKey,
    passphrase: PASSPHRASE,
    hostKeys: [`${hostKey()} root@web-1`],
  };

  beforeAll(async () => {
    db = await openDatabase({});
    await migrate(db);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('seals the target at rest and releases it whole', async () => {
    const summary = await registerSshTarget(db, box, 'web-prod', target);
    expect(summary.clientKey).toMatch(/^ssh-rsa SHA256:/);
    const { rows } = await db.query<{ target_sealed: string; summary: unknown }>(
      'select target_sealed, summary from ssh_targets',
    );
    const stored = JSON.stringify(rows);
    expect(stored).not.toContain(keyBody(encryptedKey));
    expect(stored).not.toContain(PASSPHRASE);
    expect(stored).not.toContain('deploy@'); // the sealed part is opaque
    expect(await sshTargetRegistered(db, 'web-prod')).toBe(true);
    expect(await sshTargetRegistered(db, 'web-staging')).toBe(false);
    // Host keys are kept without their comment.
    expect(await releaseSshTarget(db, box, 'web-prod')).toEqual({
      ...target,
      hostKeys: [target.hostKeys[0]!.split(' ').slice(0, 2).join(' ')],
    });
  });

  it('lists where targets point without unsealing anything', async () => {
    const list = await listSshTargets(db);
    expect(list).toHaveLength(1);
    const [row] = list;
    expect(row).toMatchObject({
      name: 'web-prod',
      host: 'web-1.example.com',
      port: 2222,
      username: 'deploy',
    });
    expect(row?.clientKey).toMatch(/^ssh-rsa SHA256:/);
    expect(row?.hostKeys).toHaveLength(1);
    expect(row?.hostKeys[0]).toMatch(/^ssh-ed25519 SHA256:/);
    expect(JSON.stringify(list)).not.toContain(PASSPHRASE);
  });

  it('refuses a target without a pinned host key or with a key it cannot read', async () => {
    const refused = async (change: Partial<SshTarget>, name = 'bad') =>
      (await registerSshTarget(db, box, name, { ...target, ...change }).catch(
        (error: unknown) => error,
      )) as GuardError;
    expect((await refused({ hostKeys: [] })).message).toContain('no host key is pinned');
    expect((await refused({ passphrase: 'not it' })).message).toContain('cannot read the private key');
    expect((await refused({}, 'Bad Name')).code).toBe('BAD_INPUT');
    expect(await sshTargetRegistered(db, 'bad')).toBe(false);
  });

  it('says how to register a target that is missing; a wrong server secret cannot open one', async () => {
    const missing = (await releaseSshTarget(db, box, 'nope').catch((error: unknown) => error)) as GuardError;
    expect(missing.code).toBe('NOT_FOUND');
    expect(missing.message).toContain('guard server ssh add nope');
    const wrongBox = secretBox(randomBytes(32));
    const sealed = (await releaseSshTarget(db, wrongBox, 'web-prod').catch(
      (error: unknown) => error,
    )) as GuardError;
    expect(sealed.code).toBe('CONFIG_INVALID');
    expect(await removeSshTarget(db, 'web-prod')).toBe(true);
    expect(await removeSshTarget(db, 'web-prod')).toBe(false);
  });
});

describe('guard server ssh add|list|remove', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'guard-ssh-cmd-'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function guard(argv: string[], env: NodeJS.ProcessEnv = {}) {
    const stdout = new Collect();
    const stderr = new Collect();
    const code = await runSshTargetCommand([...argv, '--data-dir', join(dir, 'data')], {
      stdout,
      stderr,
      env,
    });
    return { code, stdout: stdout.text, stderr: stderr.text };
  }

  it('registers from a key file and pinned keys from --host-key or a hashed known_hosts file', async () => {
    const keyFile = join(dir, 'deploy.pem');
    await writeFile(keyFile, encryptedKey, { mode: 0o600 });
    const pinned = hostKey();
    const add = await guard(
      [
        'add',
        'web-prod',
        '--host',
        'web-1.example.com',
        '--user',
        'deploy',
        '--key',
        keyFile,
        '--host-key',
        pinned,
      ],
      { GUARD_SSH_PASSPHRASE: PASSPHRASE },
    );
    expect(add.stderr).toContain('authorized_keys');
    expect(add).toMatchObject({ code: 0 });
    expect(add.stdout).toMatch(
      /^ssh target web-prod registered \(deploy@web-1\.example\.com:22, client key ssh-rsa SHA256:/,
    );

    const salt = randomBytes(20);
    const hashedName = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update('[10.0.0.7]:2222').digest('base64')}`;
    const knownHosts = join(dir, 'known_hosts');
    const other = hostKey();
    const wanted = hostKey();
    await writeFile(knownHosts, `10.0.0.7 ${other}\n${hashedName} ${wanted}\n`);
    const plainFile = join(dir, 'plain.pem');
    await writeFile(plainFile, plainKey, { mode: 0o600 });
    const fromFile = await guard([
      'add',
      'db-bastion',
      '--host',
      '10.0.0.7',
      '--port',
      '2222',
      '--user',
      'ops',
      '--key',
      plainFile,
      '--known-hosts',
      knownHosts,
    ]);
    expect(fromFile.code).toBe(0);

    const list = await guard(['list']);
    expect(list.code).toBe(0);
    const lines = list.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^db-bastion\tops@10\.0\.0\.7:2222\tkey=ssh-rsa SHA256:\S+\thost-keys=ssh-ed25519 SHA256:\S+$/,
    );
    expect(lines[1]).toMatch(/^web-prod\tdeploy@web-1\.example\.com:22\t/);
    for (const output of [add.stdout, add.stderr, list.stdout]) {
      expect(output).not.toContain(PASSPHRASE);
      expect(output).not.toContain(keyBody(encryptedKey));
    }
  });

  it('refuses to register without a pinned host key, and says how to pin one', async () => {
    const keyFile = join(dir, 'plain2.pem');
    await writeFile(keyFile, plainKey, { mode: 0o600 });
    const refused = await guard([
      'add',
      'nokey',
      '--host',
      'h.example.com',
      '--user',
      'u',
      '--key',
      keyFile,
    ]).catch((error: unknown) => error as GuardError);
    expect(refused).toBeInstanceOf(GuardError);
    expect((refused as GuardError).message).toMatch(/--host-key .*never trusts a host on first use/);
    const noMatch = await guard([
      'add',
      'nokey',
      '--host',
      'h.example.com',
      '--user',
      'u',
      '--key',
      keyFile,
      '--known-hosts',
      join(dir, 'known_hosts'),
    ]).catch((error: unknown) => error as GuardError);
    expect((noMatch as GuardError).message).toContain('has no key for h.example.com');
    expect((await guard(['add', 'incomplete', '--host', 'h'])).code).toBe(2);
  });

  it('removes a target', async () => {
    expect(await guard(['remove', 'db-bastion'])).toMatchObject({
      code: 0,
      stdout: 'ssh target db-bastion removed\n',
    });
    expect(await guard(['remove', 'db-bastion'])).toMatchObject({
      code: 1,
      stdout: 'no ssh target db-bastion\n',
    });
    expect((await guard(['list'])).stdout).not.toContain('db-bastion');
  });
});

describe.runIf(hasSshd)('a registered target, released, runs a step on a real sshd', () => {
  it('register with the CLI, release from the registry, run remotely', async () => {
    const sshd = await startSshd();
    const dir = await mkdtemp(join(tmpdir(), 'guard-ssh-e2e-'));
    try {
      const keyFile = join(dir, 'key');
      await writeFile(keyFile, sshd.clientKey, { mode: 0o600 });
      const dataDir = join(dir, 'data');
      const io = { stdout: new Collect(), stderr: new Collect(), env: {} };
      const argv = ['add', 'local', '--host', sshd.host, '--port', String(sshd.port), '--user', sshd.user];
      expect(
        await runSshTargetCommand(
          [...argv, '--key', keyFile, '--host-key', sshd.hostKey, '--data-dir', dataDir],
          io,
        ),
      ).toBe(0);

      const { loadServerSecret } = await import('../../secret-box.js');
      const db = await openDatabase({ dataDir });
      const target = await releaseSshTarget(
        db,
        secretBox(await loadServerSecret({ dataDir })),
        'local',
      ).finally(() => db.close());
      const stdout = new Collect();
      const recording = await openStepRecording(
        join(dir, '1.cast'),
        { cols: 80, rows: 24 },
        { mode: 'strict' },
      );
      const result = await runRemoteScript({
        target,
        script: Buffer.from('echo "hello from $(whoami)"\nexit 3\n'),
        masker: createMasker(),
        recording,
        strict: true,
        stdout,
        stderr: new Collect(),
      });
      await recording.close();
      expect(result).toEqual({ exitCode: 3, signal: null });
      expect(stdout.text).toBe(`hello from ${sshd.user}\n`);
    } finally {
      await sshd.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

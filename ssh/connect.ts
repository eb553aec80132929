// Opens the SSH connection for a step: the server's host key must be one of the pinned keys (checked
// during key exchange, before the client key is ever offered), then public-key login. Every failure is a
// GuardError that says what to fix and never carries the key or passphrase.
import ssh2 from 'ssh2';
import { GuardError } from '../lib/errors.js';
import { fingerprint, hostKeyAlgorithms, type HostKey } from './host-keys.js';
import { checkSshTarget, clientKeyFingerprint, type SshTarget } from './ssh-target.js';

export interface ConnectOptions {
  /** Handshake and login must finish within this (default 20 s). */
  readyTimeoutMs?: number;
  /** Aborting gives up the attempt. */
  signal?: AbortSignal;
}

/** Keepalives so a host that vanishes mid-step ends the step instead of hanging the job. */
const KEEPALIVE_MS = 15_000;
const KEEPALIVE_MAX = 4;

export function connectSsh(target: SshTarget, options: ConnectOptions = {}): Promise<ssh2.Client> {
  let pinned: HostKey[];
  let clientKey: ssh2.ParsedKey;
  try {
    ({ hostKeys: pinned, clientKey } = checkSshTarget(target));
  } catch (error) {
    return Promise.reject(
      new GuardError(
        'CONFIG_INVALID',
        `guard: the SSH target for ${target.host}:${target.port} is not usable: ${(error as Error).message}; the platform team re-registers it with \`guard server ssh add\``,
        { cause: error },
      ),
    );
  }
  const where = `${target.username}@${target.host}:${target.port}`;
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    let presented: Buffer | undefined;
    let settled = false;
    const fail = (error: GuardError) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      client.end();
      reject(error);
    };
    const onAbort = () =>
      fail(
        new GuardError(
          'SSH_FAILED',
          `guard: the step was cancelled while connecting to ${where}; nothing ran`,
        ),
      );
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });

    client.on('ready', () => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      resolve(client);
    });
    client.on('error', (error: Error & { level?: string }) => fail(translate(error)));
    client.on('close', () =>
      fail(
        new GuardError(
          'SSH_FAILED',
          `guard: the SSH connection to ${where} closed during login; nothing ran`,
        ),
      ),
    );

    const translate = (error: Error & { level?: string }): GuardError => {
      if (presented !== undefined) {
        const shown = `${keyType(presented)} ${fingerprint(presented)}`;
        return new GuardError(
          'SSH_HOST_KEY_MISMATCH',
          `guard: SSH host ${target.host}:${target.port} presented host key ${shown}, which is not pinned for this target (pinned: ${pinned.map((key) => `${key.type} ${key.fingerprint}`).join(', ')}); nothing was run. If the host key was changed on purpose, the platform team pins the new one with \`guard server ssh add\`; otherwise treat this as a possible interception`,
          { cause: error },
        );
      }
      if (/no matching host key/i.test(error.message)) {
        return new GuardError(
          'SSH_HOST_KEY_MISMATCH',
          `guard: SSH host ${target.host}:${target.port} offers none of the pinned host key types (${pinned.map((key) => key.type).join(', ')}); nothing was run. Pin the key the host actually uses (\`ssh-keyscan -p ${target.port} ${target.host}\`, checked out of band)`,
          { cause: error },
        );
      }
      if (error.level === 'client-authentication') {
        return new GuardError(
          'SSH_FAILED',
          `guard: ${where} refused the step's key (${clientKeyFingerprint(clientKey)}); nothing was run. Add its public key to ~${target.username}/.ssh/authorized_keys on the host`,
          { cause: error },
        );
      }
      if (error.level === 'client-timeout') {
        return new GuardError(
          'SSH_FAILED',
          `guard: ${where} did not finish the SSH handshake in time; nothing was run. Check the host is up and reachable from the runner`,
          { cause: error },
        );
      }
      return new GuardError(
        'SSH_FAILED',
        `guard: cannot connect to ${where}: ${error.message}; nothing was run. Check the host is up and reachable from the runner`,
        { cause: error },
      );
    };

    const login: ssh2.PublicKeyAuthMethod = { type: 'publickey', username: target.username, key: clientKey };
    client.connect({
      host: target.host,
      port: target.port,
      username: target.username,
      // Offer only the pinned key types, so a host that also has other keys presents a pinned one.
      algorithms: { serverHostKey: hostKeyAlgorithms(pinned) },
      hostVerifier: (key: Buffer): boolean => {
        if (pinned.some((pin) => pin.blob.equals(key))) return true;
        presented = Buffer.from(key);
        return false;
      },
      // The key parsed (and decrypted) once above; public-key login only, never a password prompt.
      authHandler: [login],
      readyTimeout: options.readyTimeoutMs ?? 20_000,
      keepaliveInterval: KEEPALIVE_MS,
      keepaliveCountMax: KEEPALIVE_MAX,
    });
  });
}

function keyType(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  return blob.subarray(4, 4 + Math.min(blob.readUInt32BE(0), 64)).toString('latin1');
}

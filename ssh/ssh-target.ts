// What the server releases for an SSH step, and the checks both ends apply to it: the server when the
// platform team registers a target, the runner before it connects (fail closed: no pinned key, no run).
import ssh2 from 'ssh2';
import { fingerprint, parseHostKey, type HostKey } from './host-keys.js';

export interface SshTarget {
  host: string;
  port: number;
  username: string;
  /** PEM or OpenSSH private key; released to the runner only for a released step. */
  privateKey: string;
  passphrase?: string;
  /** known_hosts-style public keys (`TYPE BASE64`); required: the server must present one of them. */
  hostKeys: string[];
}

/** A target without its secrets: what `list` shows and what an error may name. */
export interface SshTargetSummary {
  host: string;
  port: number;
  username: string;
  /** Fingerprint of the client key's public half (to check the remote's authorized_keys). */
  clientKey: string;
  hostKeys: string[];
}

const HOST = /^[A-Za-z0-9._:-]{1,253}$/;
const USER = /^[A-Za-z0-9._][A-Za-z0-9._@-]{0,63}$/;

export interface CheckedSshTarget {
  hostKeys: HostKey[];
  /** The decrypted client key (decrypting an OpenSSH key is slow on purpose: do it once). */
  clientKey: ssh2.ParsedKey;
}

/**
 * Checks a target and returns its pinned host keys and parsed client key. Throws a TypeError naming what
 * is wrong (never the key or passphrase), so a target that could not connect safely is never stored or used.
 */
export function checkSshTarget(target: SshTarget): CheckedSshTarget {
  if (typeof target.host !== 'string' || !HOST.test(target.host))
    throw new TypeError(`ssh target: host '${String(target.host)}' is not a host name or IP address`);
  if (!Number.isInteger(target.port) || target.port < 1 || target.port > 65535)
    throw new TypeError(`ssh target: port ${String(target.port)} is not a TCP port (1-65535)`);
  if (typeof target.username !== 'string' || !USER.test(target.username))
    throw new TypeError(`ssh target: user '${String(target.username)}' is not a valid login name`);
  const clientKey = parsePrivateKey(target.privateKey, target.passphrase);
  if (!Array.isArray(target.hostKeys) || target.hostKeys.length === 0)
    throw new TypeError(
      'ssh target: no host key is pinned; pass the server host key (e.g. the line of /etc/ssh/ssh_host_ed25519_key.pub), guard never trusts a host on first use',
    );
  return { hostKeys: target.hostKeys.map((line) => parseHostKey(line)), clientKey };
}

/** The client key's public fingerprint, for `list` and for matching the remote's authorized_keys. */
export function summarizeSshTarget(target: SshTarget, clientKey?: ssh2.ParsedKey): SshTargetSummary {
  const key = clientKey ?? parsePrivateKey(target.privateKey, target.passphrase);
  return {
    host: target.host,
    port: target.port,
    username: target.username,
    clientKey: clientKeyFingerprint(key),
    hostKeys: target.hostKeys.map((line) => {
      const hostKey = parseHostKey(line);
      return `${hostKey.type} ${hostKey.fingerprint}`;
    }),
  };
}

/** `ssh-ed25519 SHA256:...` of the client key's public half. */
export function clientKeyFingerprint(key: ssh2.ParsedKey): string {
  return `${key.type} ${fingerprint(key.getPublicSSH())}`;
}

function parsePrivateKey(privateKey: string, passphrase: string | undefined): ssh2.ParsedKey {
  if (typeof privateKey !== 'string' || !privateKey.includes('PRIVATE KEY'))
    throw new TypeError('ssh target: the private key is not a PEM or OpenSSH private key');
  const parsed = ssh2.utils.parseKey(privateKey, passphrase);
  const key = Array.isArray(parsed) ? (parsed[0] as ssh2.ParsedKey | Error | undefined) : parsed;
  if (key === undefined || key instanceof Error) {
    // ssh2's message names the problem (bad passphrase, unsupported cipher) without the key material.
    const why = key instanceof Error ? key.message : 'no key found';
    throw new TypeError(
      `ssh target: cannot read the private key (${why})${passphrase === undefined ? '; if it is encrypted, give its passphrase' : ''}`,
    );
  }
  if (!key.isPrivateKey())
    throw new TypeError('ssh target: the key given is a public key, not a private key');
  return key;
}

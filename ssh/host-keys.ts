// Host key pinning for SSH steps: parses the known_hosts-style keys the platform team registers, picks a
// host's keys out of a known_hosts file (plain, wildcard and hashed names), and names keys the way
// `ssh-keygen -l` does so a refusal can be checked against the server's own fingerprint. Pure: no I/O.
import { createHash, createHmac } from 'node:crypto';

/** Host key types an OpenSSH server presents and ssh2 verifies, with the signature algorithms for each. */
const HOST_KEY_ALGORITHMS = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  // One RSA key signs with any of these; the SHA-2 ones first, as OpenSSH prefers.
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
} as const;

export type HostKeyType = keyof typeof HOST_KEY_ALGORITHMS;
export type HostKeyAlgorithm = (typeof HOST_KEY_ALGORITHMS)[HostKeyType][number];

export interface HostKey {
  type: HostKeyType;
  /** The public key in SSH wire format: what the server presents during the handshake. */
  blob: Buffer;
  /** `TYPE BASE64`, the form stored and shown. */
  line: string;
  /** `SHA256:...` as `ssh-keygen -lf` prints it. */
  fingerprint: string;
}

function isHostKeyType(value: string | undefined): value is HostKeyType {
  return value !== undefined && Object.hasOwn(HOST_KEY_ALGORITHMS, value);
}

/** `SHA256:` + unpadded base64 of the key blob's SHA-256, as OpenSSH prints it. */
export function fingerprint(blob: Uint8Array): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/**
 * Parses one public host key: `TYPE BASE64 [comment]` or a known_hosts line `HOSTS TYPE BASE64 [comment]`
 * (the host field is ignored here). Throws a TypeError that says what is wrong.
 */
export function parseHostKey(text: string): HostKey {
  const tokens = text.trim().split(/\s+/);
  if (tokens[0]?.startsWith('@'))
    throw new TypeError(
      `host key '${preview(text)}': ${tokens[0]} lines are not supported; pin the host's own public key`,
    );
  const at = isHostKeyType(tokens[0]) ? 0 : isHostKeyType(tokens[1]) ? 1 : -1;
  if (at < 0) {
    throw new TypeError(
      `host key '${preview(text)}' is not a public host key of a supported type (${Object.keys(HOST_KEY_ALGORITHMS).join(', ')}); use a line of /etc/ssh/ssh_host_*_key.pub or of \`ssh-keyscan HOST\``,
    );
  }
  const type = tokens[at] as HostKeyType;
  const base64 = tokens[at + 1] ?? '';
  const blob = Buffer.from(base64, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64) || blob.toString('base64') !== base64 || wireType(blob) !== type)
    throw new TypeError(`host key '${preview(text)}': the key data is not a valid ${type} public key`);
  return { type, blob, line: `${type} ${base64}`, fingerprint: fingerprint(blob) };
}

/** The key type named inside an SSH wire-format key (a uint32 length and the type string). */
function wireType(blob: Buffer): string | undefined {
  if (blob.length < 4) return undefined;
  const length = blob.readUInt32BE(0);
  if (length > 64 || blob.length < 4 + length) return undefined;
  return blob.subarray(4, 4 + length).toString('latin1');
}

/** Signature algorithms to offer for these pinned keys, so the server presents a key that is pinned. */
export function hostKeyAlgorithms(keys: readonly HostKey[]): HostKeyAlgorithm[] {
  const out: HostKeyAlgorithm[] = [];
  for (const key of keys) for (const algorithm of HOST_KEY_ALGORITHMS[key.type]) out.push(algorithm);
  return [...new Set(out)];
}

/**
 * The keys a known_hosts file holds for `host` (and `port`: non-22 ports are written `[host]:port`, as
 * ssh does). Plain names, `*`/`?` wildcards, `!` negations and hashed (`|1|salt|hash`) names all match;
 * `@cert-authority` lines are skipped and keys marked `@revoked` are left out.
 */
export function hostKeysFromKnownHosts(text: string, host: string, port = 22): HostKey[] {
  const name = port === 22 ? host : `[${host}]:${port}`;
  const found: HostKey[] = [];
  const revoked = new Set<string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    let fields = line.split(/\s+/);
    let marker: string | undefined;
    if (fields[0]?.startsWith('@')) [marker, ...fields] = fields;
    if (marker === '@cert-authority') continue;
    const [patterns, type] = fields;
    if (patterns === undefined || !isHostKeyType(type) || !hostMatches(patterns, name)) continue;
    const key = parseHostKey(fields.slice(1).join(' '));
    if (marker === '@revoked') revoked.add(key.line);
    else found.push(key);
  }
  const unique = new Map(found.filter((key) => !revoked.has(key.line)).map((key) => [key.line, key]));
  return [...unique.values()];
}

function hostMatches(patterns: string, name: string): boolean {
  let matched = false;
  for (const pattern of patterns.split(',')) {
    const negated = pattern.startsWith('!');
    const body = negated ? pattern.slice(1) : pattern;
    const hit = body.startsWith('|1|') ? hashedMatches(body, name) : globMatches(body, name);
    if (hit && negated) return false;
    if (hit) matched = true;
  }
  return matched;
}

function hashedMatches(entry: string, name: string): boolean {
  const [, , salt, hash] = entry.split('|');
  if (!salt || !hash) return false;
  const mac = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
  return mac === hash;
}

function globMatches(pattern: string, name: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 'i').test(name);
}

function preview(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > 40 ? `${trimmed.slice(0, 37)}...` : trimmed;
}

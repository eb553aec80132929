import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fingerprint, hostKeyAlgorithms, hostKeysFromKnownHosts, parseHostKey } from './host-keys.js';

/** A syntactically valid SSH wire-format key of `type` (random body). */
function wireKey(type: string): string {
  const name = Buffer.from(type);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(name.length);
  const bodyLength = Buffer.alloc(4);
  bodyLength.writeUInt32BE(32);
  return Buffer.concat([length, name, bodyLength, randomBytes(32)]).toString('base64');
}

const ED = `ssh-ed25519 ${wireKey('ssh-ed25519')}`;
const ED2 = `ssh-ed25519 ${wireKey('ssh-ed25519')}`;
const RSA = `ssh-rsa ${wireKey('ssh-rsa')}`;
const ECDSA = `ecdsa-sha2-nistp256 ${wireKey('ecdsa-sha2-nistp256')}`;

function hashed(name: string): string {
  const salt = randomBytes(20);
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

describe('parseHostKey', () => {
  it('reads a .pub line, a known_hosts line and drops the comment', () => {
    expect(parseHostKey(`${ED} root@web-1`).line).toBe(ED);
    expect(parseHostKey(`web-1.example.com,10.0.0.5 ${ED}`).line).toBe(ED);
    expect(parseHostKey(`  ${RSA}\n`).type).toBe('ssh-rsa');
  });

  it('names a key by the SHA256 fingerprint ssh-keygen prints', () => {
    const key = parseHostKey(ED);
    expect(key.fingerprint).toBe(fingerprint(key.blob));
    expect(key.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  it('refuses what is not a public host key, saying why', () => {
    expect(() => parseHostKey('ssh-ed25519')).toThrow(/not a valid ssh-ed25519 public key/);
    expect(() => parseHostKey(`ssh-ed25519 ${wireKey('ssh-rsa')}`)).toThrow(/not a valid ssh-ed25519/);
    expect(() => parseHostKey('ssh-ed25519 not*base64')).toThrow(/not a valid/);
    expect(() => parseHostKey('-----BEGIN OPENSSH PRIVATE KEY-----')).toThrow(/not a public host key/);
    expect(() => parseHostKey(`@cert-authority *.example.com ${ED}`)).toThrow(/not supported/);
    expect(() => parseHostKey(`sk-ssh-ed25519@openssh.com ${wireKey('sk-ssh-ed25519@openssh.com')}`)).toThrow(
      /supported type/,
    );
  });
});

describe('hostKeysFromKnownHosts', () => {
  it('picks the host by plain name, wildcard, non-default port and hashed name', () => {
    const file = [
      '# comment',
      `other.example.com ${ED2}`,
      `web-1.example.com,10.0.0.5 ${ED}`,
      `*.example.com ${RSA}`,
      `[web-1.example.com]:2222 ${ECDSA}`,
      '',
    ].join('\n');
    expect(hostKeysFromKnownHosts(file, 'web-1.example.com').map((key) => key.line)).toEqual([ED, RSA]);
    expect(hostKeysFromKnownHosts(file, '10.0.0.5').map((key) => key.line)).toEqual([ED]);
    expect(hostKeysFromKnownHosts(file, 'web-1.example.com', 2222).map((key) => key.line)).toEqual([ECDSA]);
    expect(hostKeysFromKnownHosts(file, 'db.internal')).toEqual([]);
    const hashedFile = `${hashed('web-1.example.com')} ${ED}\n${hashed('[web-1.example.com]:2222')} ${ED2}\n`;
    expect(hostKeysFromKnownHosts(hashedFile, 'web-1.example.com').map((key) => key.line)).toEqual([ED]);
    expect(hostKeysFromKnownHosts(hashedFile, 'web-1.example.com', 2222).map((key) => key.line)).toEqual([
      ED2,
    ]);
  });

  it('honours negations, skips CA lines and leaves out revoked keys', () => {
    const file = [
      `*.example.com,!web-2.example.com ${ED}`,
      `@cert-authority *.example.com ${ECDSA}`,
      `web-2.example.com ${ED2}`,
      `web-2.example.com ${RSA}`,
      `@revoked * ${RSA}`,
    ].join('\n');
    expect(hostKeysFromKnownHosts(file, 'web-1.example.com').map((key) => key.line)).toEqual([ED]);
    expect(hostKeysFromKnownHosts(file, 'web-2.example.com').map((key) => key.line)).toEqual([ED2]);
  });
});

describe('hostKeyAlgorithms', () => {
  it('offers exactly the pinned types; an RSA key signs with SHA-2 first', () => {
    expect(hostKeyAlgorithms([parseHostKey(ED), parseHostKey(ED2)])).toEqual(['ssh-ed25519']);
    expect(hostKeyAlgorithms([parseHostKey(RSA), parseHostKey(ECDSA)])).toEqual([
      'rsa-sha2-512',
      'rsa-sha2-256',
      'ssh-rsa',
      'ecdsa-sha2-nistp256',
    ]);
  });
});

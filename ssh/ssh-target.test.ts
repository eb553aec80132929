import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkSshTarget, summarizeSshTarget, type SshTarget } from './ssh-target.js';

// PKCS#1 PEM keys made by node:crypto, so these run where ssh-keygen is not installed.
const plain = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
}).privateKey;
const encrypted = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs1', format: 'pem', cipher: 'aes-128-cbc', passphrase: 'open sesame' },
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

const target: SshTarget = {
  host: 'web-1.example.com',
  port: 22,
  username: 'deploy',
  privateKey: plain,
  hostKeys: [hostKey()],
};

describe('checkSshTarget', () => {
  it('accepts a complete target and returns the pinned keys and the parsed client key', () => {
    const checked = checkSshTarget(target);
    expect(checked.hostKeys.map((key) => key.line)).toEqual(target.hostKeys);
    expect(checked.clientKey.isPrivateKey()).toBe(true);
    expect(
      checkSshTarget({ ...target, privateKey: encrypted, passphrase: 'open sesame' }).clientKey.type,
    ).toBe('ssh-rsa');
  });

  it('fails closed without a pinned host key', () => {
    expect(() => checkSshTarget({ ...target, hostKeys: [] })).toThrow(/no host key is pinned/);
  });

  it('says what is wrong with a target, never echoing the key or passphrase', () => {
    const cases: [Partial<SshTarget>, RegExp][] = [
      [{ host: 'web 1; rm -rf /' }, /not a host name/],
      [{ port: 0 }, /not a TCP port/],
      [{ port: 22.5 }, /not a TCP port/],
      [{ username: '-oProxyCommand=x' }, /not a valid login name/],
      [{ privateKey: 'ssh-ed25519 AAAA' }, /not a PEM or OpenSSH private key/],
      [{ privateKey: encrypted }, /cannot read the private key.*give its passphrase/],
      [{ privateKey: encrypted, passphrase: 'wrong passphrase' }, /cannot read the private key/],
      [{ hostKeys: ['not a key'] }, /not a public host key/],
    ];
    for (const [change, message] of cases) {
      let thrown: unknown;
      try {
        checkSshTarget({ ...target, ...change });
      } catch (error) {
        thrown = error;
      }
      expect(thrown, JSON.stringify(Object.keys(change))).toBeInstanceOf(TypeError);
      expect((thrown as Error).message).toMatch(message);
      expect((thrown as Error).message).not.toContain('wrong passphrase');
      expect((thrown as Error).message).not.toContain(encrypted.split('\n')[4]);
    }
  });
});

describe('summarizeSshTarget', () => {
  it('shows where the target points and the fingerprints, not the key', () => {
    const summary = summarizeSshTarget(target);
    expect(summary).toMatchObject({ host: 'web-1.example.com', port: 22, username: 'deploy' });
    expect(summary.clientKey).toMatch(/^ssh-rsa SHA256:[A-Za-z0-9+/]{43}$/);
    expect(summary.hostKeys[0]).toMatch(/^ssh-ed25519 SHA256:/);
    expect(JSON.stringify(summary)).not.toContain(plain.split('\n')[1]);
  });
});

import { describe, expect, it } from 'vitest';
import {
  exportSigningKey,
  generateSigningKey,
  importSigningKey,
  keyIdFor,
  keysDocument,
  parseTrustedKeys,
  publishKey,
  rotateKeySet,
} from './signing-keys.js';
import { signManifest } from './sign-manifest.js';

describe('signing keys', () => {
  it('derives the key id from the SPKI DER, whatever the encoding the key travels in', () => {
    const key = generateSigningKey();
    expect(key.keyId).toMatch(/^sha256:[0-9a-f]{64}$/);
    const published = publishKey(key);
    const fromPem = parseTrustedKeys(published.publicKeyPem);
    const fromJwk = parseTrustedKeys(JSON.stringify(published.jwk));
    const fromJwks = parseTrustedKeys(JSON.stringify({ keys: [published.jwk] }));
    for (const trusted of [fromPem, fromJwk, fromJwks])
      expect(trusted.map((k) => k.keyId)).toEqual([key.keyId]);
    expect(keyIdFor(fromPem[0]!.publicKey)).toBe(key.keyId);
  });

  it('round-trips a stored private key and refuses one whose id does not match', () => {
    const key = generateSigningKey('ecdsa-p256');
    const stored = exportSigningKey(key);
    expect(importSigningKey(stored)).toMatchObject({ keyId: key.keyId, algorithm: 'ecdsa-p256' });
    expect(() => importSigningKey({ ...stored, keyid: generateSigningKey().keyId })).toThrow(
      /does not match its private key/,
    );
  });

  it('refuses a keys document that lies about a key id, and private keys given as trusted keys', () => {
    const key = generateSigningKey();
    const lying = { keys: [{ ...publishKey(key), keyid: generateSigningKey().keyId }] };
    expect(() => parseTrustedKeys(JSON.stringify(lying))).toThrow(
      /has the id sha256:.* when computed from the key itself/,
    );
    expect(() => parseTrustedKeys(exportSigningKey(key).privateKeyPem)).toThrow(
      /no "BEGIN PUBLIC KEY" block/,
    );
  });

  it('rotates: the old key is retired but published, and can no longer sign', () => {
    const first = rotateKeySet(undefined, 'ed25519', new Date('2025-01-01T00:00:00Z'));
    const second = rotateKeySet(first, 'ed25519', new Date('2025-06-01T00:00:00Z'));
    expect(second.retired[0]).toMatchObject({
      keyId: first.active.keyId,
      notAfter: '2025-06-01T00:00:00.000Z',
    });
    expect(keysDocument(second).keys.map((k) => k.keyid)).toEqual([second.active.keyId, first.active.keyId]);
    const manifest = Buffer.from(
      JSON.stringify({
        version: 1,
        files: [],
        steps: [],
        chains: {},
        identity: { repository: 'a/b', run_id: '1', run_attempt: '1' },
        job: 'j',
        sessionId: 's',
      }),
    );
    expect(() => signManifest(manifest, second.retired[0]!, new Date('2025-07-01T00:00:00Z'))).toThrow(
      /was retired at 2025-06-01/,
    );
    expect(() => signManifest(manifest, second.active, new Date('2025-07-01T00:00:00Z'))).not.toThrow();
  });
});

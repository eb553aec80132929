import { createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dsseSign, dsseVerify, pae } from './dsse.js';
import { generateSigningKey } from './signing-keys.js';

function b64url(decimal: string): string {
  return Buffer.from(BigInt(decimal).toString(16).padStart(64, '0'), 'hex').toString('base64url');
}

describe('DSSE', () => {
  it('encodes PAE as the spec test vector does', () => {
    expect(pae('http://example.com/HelloWorld', Buffer.from('hello world')).toString()).toBe(
      'DSSEv1 29 http://example.com/HelloWorld 11 hello world',
    );
  });

  it('counts bytes, not characters, in PAE lengths', () => {
    expect(pae('t', Buffer.from('é', 'utf8')).toString()).toBe('DSSEv1 1 t 2 é');
  });

  it("verifies the spec's published ECDSA P-256 envelope", () => {
    // protocol.md "Test Vectors": public point X, Y and the envelope, signature as raw r||s.
    const key = createPublicKey({
      format: 'jwk',
      key: {
        kty: 'EC',
        crv: 'P-256',
        x: b64url('46950820868899156662930047687818585632848591499744589407958293238635476079160'),
        y: b64url('5640078356564379163099075877009565129882514886557779369047442380624545832820'),
      },
    });
    const envelope = {
      payload: 'aGVsbG8gd29ybGQ=',
      payloadType: 'http://example.com/HelloWorld',
      signatures: [
        { sig: 'A3JqsQGtVsJ2O2xqrI5IcnXip5GToJ3F+FnZ+O88SjtR6rDAajabZKciJTfUiHqJPcIAriEGAHTVeCUjW2JIZA==' },
      ],
    };
    const verified = dsseVerify(envelope, new Map([['spec', key]]));
    expect(verified).toMatchObject({ ok: true, keyId: 'spec' });
    expect(verified.payload?.toString()).toBe('hello world');
    const altered = { ...envelope, payload: Buffer.from('hello world!').toString('base64') };
    expect(dsseVerify(altered, new Map([['spec', key]])).ok).toBe(false);
  });

  it('signs and verifies with Ed25519 and ECDSA P-256 server keys, by key id', () => {
    for (const algorithm of ['ed25519', 'ecdsa-p256'] as const) {
      const key = generateSigningKey(algorithm);
      const envelope = dsseSign(Buffer.from('{"a":1}'), 'application/vnd.in-toto+json', key);
      expect(envelope.signatures[0]!.keyid).toBe(key.keyId);
      expect(dsseVerify(envelope, new Map([[key.keyId, key.publicKey]]))).toMatchObject({
        ok: true,
        keyId: key.keyId,
      });
    }
  });

  it('says why a signature fails: altered content, unknown key, no signatures', () => {
    const key = generateSigningKey();
    const other = generateSigningKey();
    const envelope = dsseSign(Buffer.from('body'), 'type/x', key);
    const trusted = new Map([[key.keyId, key.publicKey]]);
    expect(dsseVerify({ ...envelope, payloadType: 'type/y' }, trusted).problem).toMatch(
      /does not verify with key sha256:[0-9a-f]{64}: the signed content was altered/,
    );
    expect(dsseVerify(dsseSign(Buffer.from('body'), 'type/x', other), trusted).problem).toMatch(
      /^signed by sha256:[0-9a-f]{64}, which is not among the 1 trusted key/,
    );
    expect(dsseVerify({ ...envelope, signatures: [] }, trusted).problem).toBe(
      'the envelope has no signatures',
    );
    expect(dsseVerify({ payload: 1 }, trusted).problem).toMatch(/not a DSSE envelope/);
  });

  it('accepts URL-safe base64 as the spec requires', () => {
    const key = generateSigningKey();
    const envelope = dsseSign(Buffer.from([0xfb, 0xff, 0xfe]), 'type/x', key);
    const urlSafe = {
      ...envelope,
      payload: Buffer.from(envelope.payload, 'base64').toString('base64url'),
      signatures: envelope.signatures.map((s) => ({
        ...s,
        sig: Buffer.from(s.sig, 'base64').toString('base64url'),
      })),
    };
    expect(dsseVerify(urlSafe, new Map([[key.keyId, key.publicKey]])).ok).toBe(true);
  });
});

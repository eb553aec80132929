// DSSE (Dead Simple Signing Envelope, github.com/secure-systems-lab/dsse): the signature covers
// PAE = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, never the JSON around it.

import { sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

export interface DsseSignature {
  keyid?: string;
  sig: string;
}

export interface DsseEnvelope {
  payloadType: string;
  /** base64 of the serialised body */
  payload: string;
  signatures: DsseSignature[];
}

export interface DsseSigningKey {
  keyId: string;
  privateKey: KeyObject;
}

/** Pre-Authentication Encoding: lengths are byte counts in ASCII decimal. */
export function pae(payloadType: string, body: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${body.length} `), body]);
}

export function dsseSign(payload: Uint8Array, payloadType: string, key: DsseSigningKey): DsseEnvelope {
  const sig = sign(digestFor(key.privateKey), pae(payloadType, payload), key.privateKey);
  return {
    payloadType,
    payload: Buffer.from(payload).toString('base64'),
    signatures: [{ keyid: key.keyId, sig: sig.toString('base64') }],
  };
}

export type SignatureStatus = 'valid' | 'invalid' | 'unknown-key';

export interface DsseVerification {
  ok: boolean;
  /** The key that verified (the first one). */
  keyId?: string;
  payloadType?: string;
  payload?: Buffer;
  signatures: { keyid?: string; status: SignatureStatus }[];
  /** Why it failed, for a person. */
  problem?: string;
}

/**
 * Verifies against trusted public keys by key id. The key id in the envelope is only a hint (per spec), so a
 * signature without one, or with one we do not know, is tried against every trusted key before giving up.
 */
export function dsseVerify(envelope: unknown, publicKeys: ReadonlyMap<string, KeyObject>): DsseVerification {
  const shape = checkShape(envelope);
  if (typeof shape === 'string') return { ok: false, signatures: [], problem: shape };
  const payload = decodeBase64(shape.payload);
  if (payload === undefined) return { ok: false, signatures: [], problem: 'the payload is not base64' };
  const message = pae(shape.payloadType, payload);
  const result: DsseVerification = { ok: false, payloadType: shape.payloadType, payload, signatures: [] };
  for (const signature of shape.signatures) {
    const sig = decodeBase64(signature.sig);
    const hinted = signature.keyid === undefined ? undefined : publicKeys.get(signature.keyid);
    const candidates = hinted ? [[signature.keyid!, hinted] as const] : [...publicKeys.entries()];
    const match = sig === undefined ? undefined : candidates.find(([, key]) => verifyOne(key, message, sig));
    const status: SignatureStatus = match ? 'valid' : hinted ? 'invalid' : 'unknown-key';
    result.signatures.push(signature.keyid === undefined ? { status } : { keyid: signature.keyid, status });
    if (match && !result.ok) {
      result.ok = true;
      result.keyId = match[0];
    }
  }
  if (!result.ok) result.problem = describeFailure(result.signatures, publicKeys);
  return result;
}

function describeFailure(
  signatures: DsseVerification['signatures'],
  keys: ReadonlyMap<string, KeyObject>,
): string {
  if (signatures.length === 0) return 'the envelope has no signatures';
  const invalid = signatures.find((s) => s.status === 'invalid');
  if (invalid) {
    return `the signature does not verify with key ${invalid.keyid}: the signed content was altered, or it was re-signed with another key under that key id`;
  }
  const ids = signatures.map((s) => s.keyid ?? '(no key id)').join(', ');
  return `signed by ${ids}, which is not among the ${keys.size} trusted key(s): it was signed by another key, or you need the server's current keys`;
}

function verifyOne(key: KeyObject, message: Buffer, sig: Buffer): boolean {
  try {
    if (key.asymmetricKeyType === 'ec') {
      // The DSSE test vector uses raw r||s (IEEE P1363); most tooling uses DER. Accept both.
      const dsaEncoding = sig.length === 64 ? 'ieee-p1363' : 'der';
      return verify('sha256', message, { key, dsaEncoding }, sig);
    }
    return verify(digestFor(key), message, key, sig);
  } catch {
    return false;
  }
}

function digestFor(key: KeyObject): string | null {
  // Ed25519 hashes internally and takes no digest name; ECDSA P-256 signs SHA-256.
  return key.asymmetricKeyType === 'ed25519' ? null : 'sha256';
}

function checkShape(value: unknown): DsseEnvelope | string {
  if (typeof value !== 'object' || value === null) return 'not a DSSE envelope (not a JSON object)';
  const env = value as Record<string, unknown>;
  if (
    typeof env.payloadType !== 'string' ||
    typeof env.payload !== 'string' ||
    !Array.isArray(env.signatures)
  ) {
    return 'not a DSSE envelope (needs payloadType, payload and signatures)';
  }
  for (const s of env.signatures as unknown[]) {
    const sig = s as Record<string, unknown> | null;
    if (typeof sig !== 'object' || sig === null || typeof sig.sig !== 'string')
      return 'a signature has no sig';
    if (sig.keyid !== undefined && typeof sig.keyid !== 'string') return 'a signature keyid is not a string';
  }
  return env as unknown as DsseEnvelope;
}

/** Standard or URL-safe base64, as the spec requires verifiers to accept. */
export function decodeBase64(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(text)) return undefined;
  return Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

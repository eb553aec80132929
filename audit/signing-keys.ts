// The server's signing keys: generation, key ids, PEM/JWK (de)serialisation, and a key set whose retired keys
// stay published so bundles signed before a rotation keep verifying. Storage is the server's business.

import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import type { JsonWebKey, KeyObject } from 'node:crypto';
import { GuardError } from '../lib/errors.js';

export type KeyAlgorithm = 'ed25519' | 'ecdsa-p256';

export interface SigningKey {
  keyId: string;
  algorithm: KeyAlgorithm;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** ISO time the key starts signing. */
  notBefore: string;
  /** ISO time the key stopped signing (set on rotation); bundles signed before it still verify. */
  notAfter?: string;
}

/** A public key as published and as trusted by a verifier. */
export interface TrustedKey {
  keyId: string;
  algorithm: KeyAlgorithm;
  publicKey: KeyObject;
  notBefore?: string;
  notAfter?: string;
  /** A compromised key: nothing it signed is trusted, whenever. */
  revoked?: boolean;
}

export interface PublishedKey {
  keyid: string;
  algorithm: KeyAlgorithm;
  publicKeyPem: string;
  jwk: JsonWebKey;
  notBefore?: string;
  notAfter?: string;
  revoked?: boolean;
}

/** What the server serves at KEYS_WELL_KNOWN_PATH and `guard server keys` prints. */
export interface KeysDocument {
  keys: PublishedKey[];
}

export const KEYS_WELL_KNOWN_PATH = '/.well-known/guard-keys.json';

/** Stored form of a private key (the server encrypts it at rest). */
export interface StoredSigningKey {
  keyid: string;
  algorithm: KeyAlgorithm;
  privateKeyPem: string;
  notBefore: string;
  notAfter?: string;
}

export function generateSigningKey(algorithm: KeyAlgorithm = 'ed25519', now = new Date()): SigningKey {
  const { privateKey, publicKey } =
    algorithm === 'ed25519'
      ? generateKeyPairSync('ed25519')
      : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { keyId: keyIdFor(publicKey), algorithm, privateKey, publicKey, notBefore: now.toISOString() };
}

/** `sha256:` + hex sha256 of the SubjectPublicKeyInfo DER: stable whatever the encoding it travels in. */
export function keyIdFor(publicKey: KeyObject): string {
  return `sha256:${createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')}`;
}

export function algorithmOf(key: KeyObject): KeyAlgorithm {
  if (key.asymmetricKeyType === 'ed25519') return 'ed25519';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1')
    return 'ecdsa-p256';
  throw new GuardError(
    'CONFIG_INVALID',
    `guard: signing keys must be Ed25519 or ECDSA P-256, not ${key.asymmetricKeyType}`,
  );
}

export function exportSigningKey(key: SigningKey): StoredSigningKey {
  const stored: StoredSigningKey = {
    keyid: key.keyId,
    algorithm: key.algorithm,
    privateKeyPem: key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    notBefore: key.notBefore,
  };
  if (key.notAfter !== undefined) stored.notAfter = key.notAfter;
  return stored;
}

export function importSigningKey(stored: StoredSigningKey): SigningKey {
  const privateKey = createPrivateKey(stored.privateKeyPem);
  const publicKey = createPublicKey(privateKey);
  const keyId = keyIdFor(publicKey);
  if (keyId !== stored.keyid) {
    throw new GuardError(
      'CONFIG_INVALID',
      `guard: stored signing key ${stored.keyid} does not match its private key (${keyId}); the key store is corrupt`,
    );
  }
  const key: SigningKey = {
    keyId,
    algorithm: algorithmOf(publicKey),
    privateKey,
    publicKey,
    notBefore: stored.notBefore,
  };
  if (stored.notAfter !== undefined) key.notAfter = stored.notAfter;
  return key;
}

export function publishKey(key: SigningKey | TrustedKey): PublishedKey {
  const published: PublishedKey = {
    keyid: key.keyId,
    algorithm: key.algorithm,
    publicKeyPem: key.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    jwk: { ...key.publicKey.export({ format: 'jwk' }), kid: key.keyId, use: 'sig' },
  };
  if (key.notBefore !== undefined) published.notBefore = key.notBefore;
  if (key.notAfter !== undefined) published.notAfter = key.notAfter;
  if ('revoked' in key && key.revoked) published.revoked = true;
  return published;
}

/** The active key plus every retired one, newest first. */
export interface KeySet {
  active: SigningKey;
  retired: SigningKey[];
}

/** Starts a new active key; the old one gets notAfter = now and stays published for verification. */
export function rotateKeySet(
  set: KeySet | undefined,
  algorithm: KeyAlgorithm = 'ed25519',
  now = new Date(),
): KeySet {
  const next = generateSigningKey(algorithm, now);
  if (set === undefined) return { active: next, retired: [] };
  return { active: next, retired: [{ ...set.active, notAfter: now.toISOString() }, ...set.retired] };
}

export function keysDocument(set: KeySet): KeysDocument {
  return { keys: [set.active, ...set.retired].map(publishKey) };
}

/**
 * Reads what a compliance officer has been given: a keys document (JSON), a JWKS or a single JWK, or one or
 * more PEM public keys. PEM keys carry no validity window, so they are trusted at any signing time.
 */
export function parseTrustedKeys(text: string): TrustedKey[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('-----BEGIN')) {
    const pems = trimmed.match(/-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/g) ?? [];
    if (pems.length === 0)
      throw badKeys(
        'found PEM text but no "BEGIN PUBLIC KEY" block (give the public key, not the private one)',
      );
    return pems.map((pem) => trustedFrom(createPublicKey(pem)));
  }
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch (error) {
    throw badKeys('it is neither PEM nor JSON', error);
  }
  const doc = json as { keys?: unknown[]; kty?: unknown };
  const entries = Array.isArray(doc.keys) ? doc.keys : doc.kty !== undefined ? [doc] : undefined;
  if (entries === undefined) throw badKeys('JSON without a "keys" array or a JWK');
  return entries.map((entry) => trustedFromJson(entry as Record<string, unknown>));
}

function trustedFromJson(entry: Record<string, unknown>): TrustedKey {
  let publicKey: KeyObject;
  try {
    if (typeof entry.publicKeyPem === 'string') publicKey = createPublicKey(entry.publicKeyPem);
    else if (typeof entry.jwk === 'object' && entry.jwk !== null)
      publicKey = createPublicKey({ key: entry.jwk as JsonWebKey, format: 'jwk' });
    else publicKey = createPublicKey({ key: entry as JsonWebKey, format: 'jwk' });
  } catch (error) {
    throw badKeys(`key ${labelOf(entry)} is not a valid public key`, error);
  }
  const key = trustedFrom(publicKey);
  const claimed = entry.keyid ?? entry.kid;
  // A key id is derived, never trusted as given: a document that lies about it is refused.
  if (typeof claimed === 'string' && claimed.startsWith('sha256:') && claimed !== key.keyId) {
    throw badKeys(`key ${claimed} has the id ${key.keyId} when computed from the key itself`);
  }
  if (typeof entry.notBefore === 'string') key.notBefore = entry.notBefore;
  if (typeof entry.notAfter === 'string') key.notAfter = entry.notAfter;
  if (entry.revoked === true) key.revoked = true;
  return key;
}

function labelOf(entry: Record<string, unknown>): string {
  if (typeof entry.keyid === 'string') return entry.keyid;
  return typeof entry.kid === 'string' ? entry.kid : '(no key id)';
}

function trustedFrom(publicKey: KeyObject): TrustedKey {
  return { keyId: keyIdFor(publicKey), algorithm: algorithmOf(publicKey), publicKey };
}

function badKeys(why: string, cause?: unknown): GuardError {
  return new GuardError(
    'BAD_INPUT',
    `guard: cannot read the trusted keys: ${why}`,
    cause === undefined ? undefined : { cause },
  );
}

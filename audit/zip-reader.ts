// A small zip reader (stored and deflate, zip64 sizes) so the action and CLI bundles need no unzip package.
// Reads from the central directory, checks every CRC-32, and refuses paths that would escape the folder.

import { crc32, inflateRawSync } from 'node:zlib';
import { GuardError } from '../lib/errors.js';

const EOCD = 0x06054b50;
const ZIP64_EOCD_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
/** Refuse to inflate more than this per file (a zip bomb must not take the machine down). */
const MAX_FILE_BYTES = 2 ** 31 - 1;

export function readZip(zip: Buffer, label = 'zip'): Map<string, Buffer> {
  const bad = (why: string) => new GuardError('BAD_INPUT', `guard: ${label} is not a readable zip: ${why}`);
  const eocd = findEocd(zip);
  if (eocd < 0) throw bad('no end-of-central-directory record');
  let count = zip.readUInt16LE(eocd + 10);
  let cdOffset = zip.readUInt32LE(eocd + 16);
  if (
    (count === 0xffff || cdOffset === 0xffffffff) &&
    eocd >= 20 &&
    zip.readUInt32LE(eocd - 20) === ZIP64_EOCD_LOCATOR
  ) {
    const z64 = Number(zip.readBigUInt64LE(eocd - 12));
    if (z64 + 56 > zip.length || zip.readUInt32LE(z64) !== ZIP64_EOCD) throw bad('broken zip64 record');
    count = Number(zip.readBigUInt64LE(z64 + 32));
    cdOffset = Number(zip.readBigUInt64LE(z64 + 48));
  }
  const files = new Map<string, Buffer>();
  let p = cdOffset;
  for (let i = 0; i < count; i += 1) {
    if (p + 46 > zip.length || zip.readUInt32LE(p) !== CENTRAL)
      throw bad(`central directory entry ${i + 1} is broken`);
    const flags = zip.readUInt16LE(p + 8);
    const method = zip.readUInt16LE(p + 10);
    const crc = zip.readUInt32LE(p + 16);
    let compressed = zip.readUInt32LE(p + 20);
    let size = zip.readUInt32LE(p + 24);
    const nameLength = zip.readUInt16LE(p + 28);
    const extraLength = zip.readUInt16LE(p + 30);
    const commentLength = zip.readUInt16LE(p + 32);
    let local = zip.readUInt32LE(p + 42);
    const name = zip.subarray(p + 46, p + 46 + nameLength).toString(flags & 0x800 ? 'utf8' : 'latin1');
    const extra = zip.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength);
    ({ size, compressed, local } = zip64Sizes(extra, size, compressed, local));
    p += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith('/')) continue;
    if (flags & 0x1) throw bad(`${name} is encrypted`);
    if (name.startsWith('/') || name.includes('\\') || name.split('/').includes('..'))
      throw bad(`unsafe path ${JSON.stringify(name)}`);
    if (local + 30 > zip.length || zip.readUInt32LE(local) !== LOCAL)
      throw bad(`${name}: local header is broken`);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(start, start + compressed);
    if (raw.length !== compressed) throw bad(`${name} is cut short`);
    if (size > MAX_FILE_BYTES) throw bad(`${name} would inflate to ${size} bytes`);
    let data: Buffer;
    if (method === 0) data = Buffer.from(raw);
    else if (method === 8) {
      try {
        data = inflateRawSync(raw, { maxOutputLength: Math.max(size, 1) });
      } catch (error) {
        throw new GuardError('BAD_INPUT', `guard: ${label}: ${name} does not inflate`, { cause: error });
      }
    } else throw bad(`${name} uses compression method ${method} (only stored and deflate are read)`);
    if (data.length !== size || crc32(data) !== crc) throw bad(`${name} fails its CRC-32 or size check`);
    if (files.has(name)) throw bad(`${name} appears twice`);
    files.set(name, data);
  }
  return files;
}

function findEocd(zip: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65535 bytes at the very end.
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i -= 1) {
    if (zip.readUInt32LE(i) === EOCD) return i;
  }
  return -1;
}

function zip64Sizes(extra: Buffer, size: number, compressed: number, local: number) {
  let q = 0;
  while (q + 4 <= extra.length) {
    const id = extra.readUInt16LE(q);
    const len = extra.readUInt16LE(q + 2);
    if (id === 0x0001) {
      let r = q + 4;
      const next = () => {
        const v = Number(extra.readBigUInt64LE(r));
        r += 8;
        return v;
      };
      if (size === 0xffffffff) size = next();
      if (compressed === 0xffffffff) compressed = next();
      if (local === 0xffffffff) local = next();
      break;
    }
    q += 4 + len;
  }
  return { size, compressed, local };
}

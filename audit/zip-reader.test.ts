import { describe, expect, it } from 'vitest';
import { writeZip } from './test/write-zip.js';
import { readZip } from './zip-reader.js';

describe('readZip', () => {
  it('reads deflated files with UTF-8 names and skips folders', () => {
    const zip = writeZip([
      ['dir/', Buffer.alloc(0)],
      ['steps/1.cast', Buffer.from('x'.repeat(10_000))],
      ['relatório.txt', Buffer.from('olá')],
    ]);
    const files = readZip(zip);
    expect([...files.keys()]).toEqual(['steps/1.cast', 'relatório.txt']);
    expect(files.get('relatório.txt')!.toString()).toBe('olá');
  });

  it('refuses paths that would escape the folder', () => {
    for (const name of ['../evil', '/etc/passwd', 'a/../../b', 'a\\b']) {
      expect(() => readZip(writeZip([[name, Buffer.from('x')]]), 'evil.zip')).toThrow(
        /evil.zip is not a readable zip: unsafe path/,
      );
    }
  });

  it('detects a corrupted file by its CRC and a file that is not a zip', () => {
    const data = Buffer.from('stored content that will be flipped');
    const zip = writeZip([['a.txt', data]]);
    const corrupted = Buffer.from(zip);
    corrupted[40] = corrupted[40]! ^ 0xff; // inside the deflated data
    expect(() => readZip(corrupted)).toThrow(/a.txt (fails its CRC-32 or size check|does not inflate)/);
    expect(() => readZip(Buffer.from('not a zip at all, just text'))).toThrow(
      /no end-of-central-directory record/,
    );
  });
});

import { describe, expect, it } from 'vitest';
import {
  FileCommandError,
  addToPrependPath,
  parseKeyValueFile,
  parsePathFile,
  pathValue,
} from './file-commands.js';

describe('parseKeyValueFile', () => {
  it('reads NAME=VALUE and the heredoc form @actions/core writes', () => {
    const text =
      'a=1\nb=x=y\n\nmulti<<ghadelimiter_1\nline 1\nline 2\nghadelimiter_1\nempty<<EOF\nEOF\na=2\n';
    expect(Object.fromEntries(parseKeyValueFile(text))).toEqual({
      a: '2',
      b: 'x=y',
      multi: 'line 1\nline 2',
      empty: '',
    });
  });

  it('keeps a heredoc value byte-exact, including = and << inside it', () => {
    expect(parseKeyValueFile('k<<D\nx=1\ny<<z\nD\n').get('k')).toBe('x=1\ny<<z');
  });

  it('refuses an unclosed heredoc, an empty name and a line that is neither form', () => {
    expect(() => parseKeyValueFile('k<<EOF\nvalue\n')).toThrow(
      new FileCommandError("Invalid value. Matching delimiter not found 'EOF'"),
    );
    expect(() => parseKeyValueFile('=v\n')).toThrow(/Name must not be empty/);
    expect(() => parseKeyValueFile('just text\n')).toThrow(/Invalid format 'just text'/);
  });
});

describe('GITHUB_PATH', () => {
  it('puts the latest entry first and moves a repeated entry to the front', () => {
    let prepend = addToPrependPath([], parsePathFile('/a\n\n/b\n'));
    prepend = addToPrependPath(prepend, ['/a']);
    expect(pathValue(prepend, '/usr/bin')).toBe('/a:/b:/usr/bin');
  });
});

import { describe, expect, it } from 'vitest';
import { parseActionIdentifier, parseCommentCommand } from './commands.js';

describe('comment commands', () => {
  it('reads approve and deny, tolerant of case and spacing, first line only', () => {
    expect(parseCommentCommand('/guard approve 7f3c1a2b')).toEqual({
      type: 'approve',
      id: '7f3c1a2b',
      comment: '',
    });
    expect(
      parseCommentCommand('  \n/GUARD   Approve\t7F3C1A2B  looks  right\n/guard deny 7f3c1a2b no'),
    ).toEqual({
      type: 'approve',
      id: '7f3c1a2b',
      comment: 'looks right',
    });
    expect(parseCommentCommand('/guard deny 7f3c1a2b not during the freeze')).toEqual({
      type: 'deny',
      id: '7f3c1a2b',
      reason: 'not during the freeze',
    });
  });

  it('ignores comments that are not addressed to guard, including a command on a later line', () => {
    for (const body of [
      'LGTM',
      'please /guard approve 7f3c1a2b',
      'thanks\n/guard approve 7f3c1a2b',
      '/guardian approve 7f3c1a2b',
      '',
    ])
      expect(parseCommentCommand(body)).toEqual({ type: 'none' });
  });

  it('explains what is wrong with a malformed command', () => {
    expect(parseCommentCommand('/guard')).toMatchObject({
      type: 'invalid',
      problem: 'the command is incomplete',
    });
    expect(parseCommentCommand('/guard lgtm 7f3c1a2b')).toMatchObject({
      problem: "'lgtm' is not a guard command",
    });
    expect(parseCommentCommand('/guard approve')).toMatchObject({
      problem: '`/guard approve` needs an approval id',
    });
    expect(parseCommentCommand('/guard approve 7f3c')).toMatchObject({
      problem: "'7f3c' is not an approval id (8 hex characters)",
    });
    expect(parseCommentCommand('/guard deny 7f3c1a2b')).toMatchObject({
      problem: '`/guard deny 7f3c1a2b` needs a reason after the id',
    });
  });
});

describe('check run action identifiers', () => {
  it('accepts only approve:/deny: with an 8-hex id', () => {
    expect(parseActionIdentifier('approve:7f3c1a2b')).toEqual({ decision: 'approve', id: '7f3c1a2b' });
    expect(parseActionIdentifier('deny:7f3c1a2b')).toEqual({ decision: 'deny', id: '7f3c1a2b' });
    for (const bad of ['approve:7F3C1A2B', 'approve:7f3c1a2b0', 'lgtm|26764', 'approve:', 'merge:7f3c1a2b'])
      expect(parseActionIdentifier(bad)).toBeUndefined();
    expect('approve:7f3c1a2b'.length).toBeLessThanOrEqual(20);
  });
});

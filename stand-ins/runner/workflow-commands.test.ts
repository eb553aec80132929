import { describe, expect, it } from 'vitest';
import { parseWorkflowCommand } from './workflow-commands.js';

describe('parseWorkflowCommand', () => {
  it('reads name, properties and data with the runner escaping', () => {
    expect(parseWorkflowCommand('::error file=a%2Cb.ts,line=3,title=x%3Ay::bad%0Anews %25')).toEqual({
      command: 'error',
      properties: { file: 'a,b.ts', line: '3', title: 'x:y' },
      data: 'bad\nnews %',
    });
  });

  it('accepts leading whitespace and ignores lines that are not commands', () => {
    expect(parseWorkflowCommand('   ::add-mask::s3cret')?.data).toBe('s3cret');
    expect(parseWorkflowCommand('echo ::add-mask::x')).toBeUndefined();
    expect(parseWorkflowCommand('::no end')).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { createCastRecorder } from './asciicast.js';
import { verifyCast } from './cast-verify.js';

const START = 1_700_000_000_000;

function recording(events = 5) {
  const cast = createCastRecorder({ cols: 80, rows: 24, title: 'step 1' }, START);
  let text = cast.header();
  for (let i = 1; i <= events; i += 1) text += cast.output(`line ${i}\r\n`, START + i * 100);
  return { text, head: cast.head(), count: cast.count() };
}

/** File lines: 1 header, 2 its #chain, then event k at line 2k+1 and its #chain at 2k+2. */
function edit(text: string, change: (lines: string[]) => void): string {
  const lines = text.split('\n');
  change(lines);
  return lines.join('\n');
}

describe('verifyCast', () => {
  it('accepts an untouched recording', () => {
    const { text, head, count } = recording();
    expect(verifyCast(text, { head, count })).toMatchObject({ ok: true, count: 6 });
  });

  it('names the line whose byte was changed', () => {
    const { text } = recording();
    const changed = edit(text, (l) => (l[6] = l[6]!.replace('line 3', 'line X')));
    expect(verifyCast(changed).problem).toEqual({
      line: 7,
      event: 3,
      message: 'chain broken: the line does not match its chain digest (it was edited)',
    });
  });

  it('names the removed event', () => {
    const { text } = recording();
    const removed = edit(text, (l) => l.splice(6, 2));
    expect(verifyCast(removed).problem).toEqual({
      line: 7,
      event: 4,
      message: 'chain broken: recorded line 4 follows recorded line 2: recorded line 3 is missing (removed)',
    });
  });

  it('names two swapped events', () => {
    const { text } = recording();
    const swapped = edit(text, (l) => {
      const third = l.splice(6, 2);
      l.splice(8, 0, ...third);
    });
    expect(verifyCast(swapped).problem?.message).toBe(
      'chain broken: recorded line 4 follows recorded line 2; recorded line 3 is at line 9 (lines were reordered)',
    );
  });

  it('names an inserted line without a chain comment', () => {
    const { text } = recording();
    const inserted = edit(text, (l) => l.splice(4, 0, '[0.1, "o", "injected"]'));
    expect(verifyCast(inserted).problem).toEqual({
      line: 6,
      event: 2,
      message: 'the #chain line for line 5 is missing (a line was inserted, or the file was cut)',
    });
  });

  it('detects the end cut off against the manifest, and a truncated last line', () => {
    const { text, head, count } = recording();
    const cut = edit(text, (l) => l.splice(-3, 2));
    expect(verifyCast(cut, { head, count }).problem?.message).toBe(
      'the recording has 5 lines but the manifest says 6 (lines were removed from the end or added)',
    );
    expect(verifyCast(text.slice(0, -10)).problem?.message).toMatch(
      /not terminated by a newline \(the file was truncated\)/,
    );
  });

  it('rejects what the asciicast v3 spec does not allow', () => {
    const { text } = recording(1);
    const v2 = edit(text, (l) => (l[0] = '{"version":2,"width":80,"height":24}'));
    expect(verifyCast(v2).problem?.message).toBe('the header says version 2, not 3');
    const badCode = edit(text, (l) => (l[2] = '[0.1, "z", "x"]'));
    expect(verifyCast(badCode).problem?.message).toBe('unknown event code "z"');
    const negative = edit(text, (l) => (l[2] = '[-1, "o", "x"]'));
    expect(verifyCast(negative).problem?.message).toBe(
      'the event interval is not a non-negative number of seconds',
    );
    expect(verifyCast('').problem?.message).toMatch(/empty/);
  });
});

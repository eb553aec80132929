import { describe, expect, it } from 'vitest';
import { createCastRecorder, formatInterval } from './asciicast.js';
import { verifyCast } from './cast-verify.js';

const START = Date.UTC(2025, 0, 2, 3, 4, 5, 600);

function sampleCast(): string {
  const cast = createCastRecorder(
    {
      cols: 120,
      rows: 30,
      command: './deploy.sh',
      title: 'Deploy',
      termType: 'xterm-256color',
      env: { SHELL: '/bin/bash' },
    },
    START,
  );
  return [
    cast.header(),
    cast.output('\u001b[1;31mdeploying\u001b[0m\r\n', START + 248),
    cast.marker('approval: waiting for @acme/sre', START + 1000),
    cast.marker('approval: approved by alice', START + 4500),
    cast.input('y\r', START + 4600),
    cast.resize(90, 30, START + 5000),
    cast.output('done "quoted" \\ back\r\n', START + 6543.21),
    cast.exit(0, START + 7000),
  ].join('');
}

describe('asciicast v3 recording', () => {
  it('writes a header the spec and asciinema 3 accept: version 3, term size, integer timestamp, command, title', () => {
    const first = sampleCast().split('\n')[0]!;
    expect(JSON.parse(first)).toEqual({
      version: 3,
      term: { cols: 120, rows: 30, type: 'xterm-256color' },
      timestamp: Math.floor(START / 1000),
      command: './deploy.sh',
      title: 'Deploy',
      env: { SHELL: '/bin/bash' },
    });
  });

  it('writes every event as [interval, code, data] with intervals since the previous event', () => {
    const events = sampleCast()
      .split('\n')
      .filter((line) => line.startsWith('['))
      .map((line) => JSON.parse(line) as [number, string, string]);
    expect(events.map((e) => e[1])).toEqual(['o', 'm', 'm', 'i', 'r', 'o', 'x']);
    expect(events.map((e) => e[0])).toEqual([0.248, 0.752, 3.5, 0.1, 0.4, 1.54321, 0.45679]);
    expect(events[4]![2]).toBe('90x30');
    expect(events[5]![2]).toBe('done "quoted" \\ back\r\n');
    expect(events[6]![2]).toBe('0');
    // Intervals add up to the elapsed time exactly (kept in microseconds, so no drift).
    const total = events.reduce((sum, e) => sum + Math.round(e[0] * 1e6), 0);
    expect(total).toBe(7_000_000);
  });

  // The real player plays a real recording in shell-proxy/test/recording-player.test.ts.
  it('plays where players look: asciinema-player parses line 1 and the lines starting with "[", asciinema 3 skips "#" lines', () => {
    const lines = sampleCast().split('\n');
    // asciinema-player's parseJsonl: header = JSON.parse(lines[0]); events = lines that start with '['.
    expect(() => JSON.parse(lines[0]!) as unknown).not.toThrow();
    const playerEvents = lines.slice(1).filter((l) => l[0] === '[');
    // asciinema 3's v3 parser: every line that is neither empty nor starts with '#' must be an event.
    const cliEvents = lines.slice(1).filter((l) => l !== '' && !l.startsWith('#'));
    expect(playerEvents).toEqual(cliEvents);
    expect(playerEvents).toHaveLength(7);
    // The first line must not be a comment (spec); every other comment is a chain line.
    expect(lines[0]!.startsWith('#')).toBe(false);
    expect(lines.filter((l) => l.startsWith('#')).every((l) => /^#chain \d+ [0-9a-f]{64}$/.test(l))).toBe(
      true,
    );
  });

  it('never writes a negative interval when the clock steps back', () => {
    const cast = createCastRecorder({ cols: 80, rows: 24 }, START);
    cast.header();
    cast.output('a', START + 500);
    const line = cast.output('b', START + 100);
    expect(JSON.parse(line.split('\n')[0]!)).toEqual([0, 'o', 'b']);
  });

  it('agrees with the verifier on the chain head and line count', () => {
    const cast = createCastRecorder({ cols: 80, rows: 24 }, START);
    const text = cast.header() + cast.output('x', START + 1) + cast.exit(3, START + 2);
    const verified = verifyCast(text, { head: cast.head(), count: cast.count() });
    expect(verified.problem).toBeUndefined();
    expect(verified.ok).toBe(true);
    expect(verified.exitStatus).toBe(3);
    expect(verified.durationSeconds).toBe(0.002);
  });

  it('refuses events before the header, a bad size and a non-integer exit status', () => {
    const cast = createCastRecorder({ cols: 80, rows: 24 }, START);
    expect(() => cast.output('x', START)).toThrow(/header before any event/);
    cast.header();
    expect(() => cast.resize(0, 10, START)).toThrow(/0x10/);
    expect(() => cast.exit(1.5, START)).toThrow(/not an integer/);
    expect(() => createCastRecorder({ cols: 80.5, rows: 24 }, START)).toThrow(TypeError);
  });

  it('formats intervals like asciinema does', () => {
    expect(formatInterval(0)).toBe('0.0');
    expect(formatInterval(1_000_001)).toBe('1.000001');
    expect(formatInterval(12_300_000)).toBe('12.3');
    expect(formatInterval(12_000_003)).toBe('12.000003');
  });
});

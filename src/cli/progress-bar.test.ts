// Proves the progress bar draws only when it should: on a terminal after a second of work (redrawn in place),
// always with --progress off a terminal (one line per tenth), and never otherwise.

import { describe, expect, it } from 'vitest';
import type { CliIo } from './command.ts';
import { progressBar, renderProgressLine } from './progress-bar.ts';

function io(tty: boolean): CliIo & { written: string[] } {
  const written: string[] = [];
  return {
    stdout: () => undefined,
    stderr: (text) => written.push(text),
    env: {},
    stderrIsTty: tty,
    written,
  };
}

describe('progress bar', () => {
  it('renders the share done as a bar, a percentage and the counts', () => {
    expect(renderProgressLine({ phase: 'csv', done: 310_000, total: 1_000_000 })).toBe(
      `csv        [${'#'.repeat(9)}${'-'.repeat(21)}]  31% 310000/1000000`,
    );
  });

  it('draws on a terminal only once the run has lasted a second, in place, ending the line when done', () => {
    const terminal = io(true);
    let nowMs = 0;
    const bar = progressBar(terminal, { forced: false, now: () => nowMs });
    bar.listener({ phase: 'csv', done: 1, total: 4 });
    expect(terminal.written).toEqual([]);
    nowMs = 1_500;
    bar.listener({ phase: 'csv', done: 2, total: 4 });
    bar.listener({ phase: 'csv', done: 4, total: 4 });
    expect(terminal.written[0]).toMatch(/^\rcsv +\[#{15}-{15}\] +50% 2\/4$/);
    expect(terminal.written.slice(1)).toEqual([
      `\r${renderProgressLine({ phase: 'csv', done: 4, total: 4 })}`,
      '\n',
    ]);
  });

  it('prints a line per tenth off a terminal with --progress, and nothing without it', () => {
    const piped = io(false);
    const bar = progressBar(piped, { forced: true });
    for (let done = 0; done <= 100; done += 5) bar.listener({ phase: 'json', done, total: 100 });
    expect(piped.written).toHaveLength(11);
    const quiet = io(false);
    const silent = progressBar(quiet, { forced: false, now: () => 10_000 });
    silent.listener({ phase: 'json', done: 1, total: 2 });
    expect(quiet.written).toEqual([]);
  });
});

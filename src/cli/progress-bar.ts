// A plain-text progress bar on stderr for long runs (the resolution pack over a million customers): drawn in
// place on a terminal once a run has lasted a second, or from the start, one line per tenth, when the user
// asks with --progress. Nothing is drawn otherwise, so piped output and tests stay clean.

import type { ProgressListener, ResolutionProgress } from '../service/resolution/resolution-service.ts';
import type { CliIo } from './command.ts';

/** How long a run goes before a terminal gets a bar. */
export const PROGRESS_AFTER_MS = 1_000;
/** Characters between the brackets. */
const BAR_WIDTH = 30;

/** A listener drawing the bar, and `finish` to end its line. */
export interface ProgressBar {
  readonly listener: ProgressListener;
  finish(): void;
}

/** The bar for `io`: on when stderr is a terminal (after PROGRESS_AFTER_MS) or when `forced`. */
export function progressBar(
  io: CliIo,
  options: { readonly forced: boolean; readonly now?: () => number },
): ProgressBar {
  const now = options.now ?? (() => performance.now());
  const startedMs = now();
  const inPlace = io.stderrIsTty === true;
  let open = false;
  let lastKey = '';
  const listener = (progress: ResolutionProgress): void => {
    if (!options.forced && !(inPlace && now() - startedMs >= PROGRESS_AFTER_MS)) return;
    const line = renderProgressLine(progress);
    // Off a terminal a line per tenth; on one the bar is redrawn whenever its percentage changes.
    const key = `${progress.phase}:${inPlace ? line : Math.floor((10 * progress.done) / Math.max(1, progress.total))}`;
    if (key === lastKey) return;
    lastKey = key;
    if (inPlace) {
      io.stderr(`\r${line}`);
      open = progress.done < progress.total;
      if (!open) io.stderr('\n');
    } else io.stderr(`${line}\n`);
  };
  return {
    listener,
    finish() {
      if (open) io.stderr('\n');
      open = false;
    },
  };
}

/** `csv        [#########---------------------]  31% 310000/1000000` */
export function renderProgressLine(progress: ResolutionProgress): string {
  const total = Math.max(1, progress.total);
  const share = Math.min(1, progress.done / total);
  const filled = Math.round(share * BAR_WIDTH);
  const percent = Math.floor(share * 100);
  return `${progress.phase.padEnd(10)} [${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${String(percent).padStart(3)}% ${progress.done}/${progress.total}`;
}

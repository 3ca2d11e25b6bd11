// Graceful shutdown of a serving command: the first SIGINT or SIGTERM stops accepting requests, lets
// queued writes become durable and closes storage; a second signal exits at once.

import type { CliIo } from './command.ts';

/** Resolves once `stop` has run after the first SIGINT/SIGTERM; the process then exits by itself. */
export function runUntilSignalled(io: CliIo, stop: () => Promise<void>, quiet: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      // A second signal while draining means the operator wants out now.
      process.once('SIGINT', () => process.exit(130));
      process.once('SIGTERM', () => process.exit(143));
      if (!quiet) io.stderr(`${signal}: shutting down (finishing queued writes)...\n`);
      stop().then(resolve, reject);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

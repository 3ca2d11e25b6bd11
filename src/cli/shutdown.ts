// Graceful shutdown of a serving command: the first SIGINT or SIGTERM stops accepting requests, lets
// queued writes become durable and closes storage; a second signal exits at once.

import type { CliIo } from './command.ts';

/** A shutdown listener installed ahead of time; `until` waits for the first signal, then runs `stop`. */
export interface ShutdownListener {
  until(stop: () => Promise<void>): Promise<void>;
}

/**
 * Starts listening for SIGINT/SIGTERM at once. Install it before announcing readiness: a pipe write is
 * synchronous on Linux, so a supervisor may read "ready" and signal before the next statement runs, and a
 * signal with no listener kills the process outright instead of shutting it down.
 */
export function listenForShutdown(io: CliIo, quiet: boolean): ShutdownListener {
  const signalled = new Promise<NodeJS.Signals>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      // A second signal while draining means the operator wants out now.
      process.once('SIGINT', () => process.exit(130));
      process.once('SIGTERM', () => process.exit(143));
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  return {
    async until(stop) {
      const signal = await signalled;
      if (!quiet) io.stderr(`${signal}: shutting down (finishing queued writes)...\n`);
      await stop();
    },
  };
}

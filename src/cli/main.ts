// The `ringfence` executable's entry (bin/ringfence.mjs imports it): runs the command line on the
// process's streams and leaves the exit code for Node to use once open handles have closed.

import type { CliIo } from './command.ts';
import { runCli } from './run-cli.ts';

const io: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  stderrIsTty: process.stderr.isTTY === true,
};

process.exitCode = await runCli(process.argv.slice(2), io);

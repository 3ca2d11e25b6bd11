// The command dispatcher: picks the command named by the first argument, runs it and turns its outcome
// into an exit code. Expected failures print `error <code>: <message>`; bugs crash with a stack.

import { readFileSync } from 'node:fs';
import { JournalCorruptError, WriterStoppedError } from '../service/errors.ts';
import { StoreError } from '../store/errors.ts';
import { CliError, EXIT_FAILURE, usageError } from './cli-error.ts';
import type { CliCommand, CliIo } from './command.ts';
import { accountsCommand } from './commands/accounts.ts';
import { balancesCommand } from './commands/balances.ts';
import { custodyCommand } from './commands/custody.ts';
import { holdsCommand } from './commands/holds.ts';
import { journalCommand } from './commands/journal.ts';
import { keysCommand } from './commands/keys.ts';
import { poolsCommand } from './commands/pools.ts';
import { proofCommand } from './commands/proof.ts';
import { resolutionCommand } from './commands/resolution.ts';
import { segregationCommand } from './commands/segregation.ts';
import { serveCommand } from './commands/serve.ts';
import { transferCommand } from './commands/transfer.ts';
import { withdrawalsCommand } from './commands/withdrawals.ts';
import { printError } from './output.ts';

/**
 * `demo` brings the whole local EVM (Hardhat, solc, the Safe artifacts): about two seconds to load. It is
 * imported only when it runs, so every other command starts without it.
 */
const lazyDemoCommand: CliCommand = {
  name: 'demo',
  summary: 'Seed a realistic demo book and serve it, with keys and examples',
  // The full text lives with the command; `run(['--help'])` prints it.
  help: 'Usage: ringfence demo --help\n',
  async run(args, io) {
    const { demoCommand } = await import('./commands/demo.ts');
    return demoCommand.run(args, io);
  },
};

/** Every command, in the order the program's help lists them. */
export const COMMANDS: readonly CliCommand[] = [
  lazyDemoCommand,
  serveCommand,
  keysCommand,
  balancesCommand,
  accountsCommand,
  poolsCommand,
  holdsCommand,
  transferCommand,
  withdrawalsCommand,
  custodyCommand,
  segregationCommand,
  proofCommand,
  resolutionCommand,
  journalCommand,
];

/** The program's help: usage and one line per command. */
export function programHelp(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  const lines = COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
  return `Usage: ringfence <command> [options]

Ringfence: a segregated double-entry ledger that refuses to let house activity consume customer collateral.

Commands:
${lines.join('\n')}

Run "ringfence <command> --help" for a command's options. Every command takes --json for machine output.
Read commands ask a server (--url or $RINGFENCE_URL, --key or $RINGFENCE_KEY); balances, accounts, pools
and holds can read a database directly with --db, and segregation can also run on it with --db.

Exit codes: 0 success, 1 refused or failed (the error code is printed), 2 invalid command line.
`;
}

/** Runs the command line `args` (without node and the script) and resolves with the exit code. */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  const json = args.includes('--json');
  try {
    const [name, ...rest] = args;
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      const topic = name === 'help' ? COMMANDS.find((command) => command.name === rest[0]) : undefined;
      // A command prints its own help (a lazily loaded one has to load to know it).
      if (topic !== undefined) return await topic.run(['--help'], io);
      io.stdout(programHelp());
      return 0;
    }
    if (name === '--version' || name === '-v') {
      io.stdout(`${readVersion()}\n`);
      return 0;
    }
    const command = COMMANDS.find((candidate) => candidate.name === name);
    if (command === undefined) throw usageError(`unknown command "${name}"`);
    return await command.run(rest, io);
  } catch (error) {
    const failure = asCliError(error);
    printError(io, failure, json);
    return failure.exitCode;
  }
}

// Infrastructure failures become CliErrors with a code derived from their class; anything else is a bug.
function asCliError(error: unknown): CliError {
  if (error instanceof CliError) return error;
  if (error instanceof JournalCorruptError) {
    return new CliError(
      'journal_corrupt',
      `${error.message} (run "ringfence journal verify")`,
      error.details,
      EXIT_FAILURE,
      { cause: error },
    );
  }
  if (error instanceof StoreError || error instanceof WriterStoppedError) {
    const cause = error.cause instanceof Error ? error.cause.message : undefined;
    const details: Record<string, unknown> = {};
    if (error instanceof StoreError && error.details !== null) details.context = error.details;
    if (cause !== undefined) details.cause = cause;
    return new CliError(snakeCase(error.name), error.message, details, EXIT_FAILURE, { cause: error });
  }
  throw error;
}

function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

function readVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

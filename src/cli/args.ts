// Command-line parsing on top of Node's `util.parseArgs`: every command gets `--json` and `--help`, and
// parse failures become usage errors that name the command.

import { type ParseArgsConfig, parseArgs } from 'node:util';
import { usageError } from './cli-error.ts';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** The options every command accepts. */
export const COMMON_OPTIONS = {
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies OptionsConfig;

/** Parses `args` against the command's options plus the common ones; unknown options are usage errors. */
export function parseCommandArgs<const O extends OptionsConfig>(
  command: string,
  args: readonly string[],
  options: O,
) {
  try {
    return parseArgs({
      args: [...args],
      options: { ...COMMON_OPTIONS, ...options },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw usageError(
      ((error as Error).message.split('\n')[0] ?? '').split('. To specify')[0] ?? 'invalid arguments',
      command,
    );
  }
}

/** The value of a required string option, or a usage error naming it. */
export function requireOption(command: string, name: string, value: string | undefined): string {
  if (value === undefined || value.length === 0) throw usageError(`--${name} is required`, command);
  return value;
}

/** Parses a TCP port (0 picks a free one). */
export function parsePort(command: string, text: string): number {
  const port = Number(text);
  if (!/^\d{1,5}$/.test(text) || port > 65_535)
    throw usageError(`--port must be 0..65535, got "${text}"`, command);
  return port;
}

/** Parses a non-negative journal position. */
export function parseSeq(command: string, name: string, text: string): number {
  const seq = Number(text);
  if (!/^\d{1,15}$/.test(text) || !Number.isSafeInteger(seq))
    throw usageError(`--${name} must be a journal seq, got "${text}"`, command);
  return seq;
}

/** Fails when positionals were given to a command that takes none. */
export function rejectPositionals(command: string, positionals: readonly string[]): void {
  if (positionals.length > 0) throw usageError(`unexpected argument "${positionals[0]}"`, command);
}

// The CLI's expected failures: a code (a ledger rejection code, an API error code or one of the CLI's
// own), a message and details, printed by main and turned into a non-zero exit code.

/** Exit code of a refused or failed command. */
export const EXIT_FAILURE = 1;
/** Exit code of a command line the CLI could not understand. */
export const EXIT_USAGE = 2;

/** A failure the user should see as `error <code>: <message>`; never a programmer error. */
export class CliError extends Error {
  override readonly name = 'CliError';

  constructor(
    readonly code: string,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
    readonly exitCode: number = EXIT_FAILURE,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A command line that does not parse: printed with a pointer to the command's help, exit code 2. */
export function usageError(message: string, command: string | null = null): CliError {
  const help = command === null ? 'ringfence --help' : `ringfence ${command} --help`;
  return new CliError('usage_invalid', `${message} (see ${help})`, {}, EXIT_USAGE);
}

// The shape every CLI command has: a name, a one-line summary, its help text and a run function that
// receives the arguments after the command name and returns the exit code.

/** Where a command writes and what it reads from its environment (injectable for tests). */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Whether stderr is a terminal (progress bars draw on it then); absent means no. */
  readonly stderrIsTty?: boolean;
}

/** One `ringfence <name>` command. */
export interface CliCommand {
  readonly name: string;
  /** One line for the program's help. */
  readonly summary: string;
  /** The full `--help` text. */
  readonly help: string;
  /** Runs the command; resolves with the exit code (long-running commands resolve when they stop). */
  run(args: readonly string[], io: CliIo): Promise<number>;
}

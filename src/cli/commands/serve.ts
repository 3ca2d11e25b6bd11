// `ringfence serve`: opens the ledger on a database and serves the HTTP API until SIGINT/SIGTERM.

import type { CustodyApiServices } from '../../api/custody-services.ts';
import { startServer } from '../../api/server.ts';
import type { LedgerService } from '../../service/ledger-service.ts';
import { parseCommandArgs, parsePort, rejectPositionals, requireOption } from '../args.ts';
import { usageError } from '../cli-error.ts';
import type { CliCommand, CliIo } from '../command.ts';
import { describeDatabase, openLedger } from '../database.ts';
import { renderFields } from '../output.ts';
import { listenForShutdown, type ShutdownListener } from '../shutdown.ts';

/** Where `serve` and `demo` listen unless --host says otherwise: loopback only. */
export const HOST_DEFAULT = '127.0.0.1';
/** The port `serve` and `demo` listen on unless --port says otherwise. */
export const PORT_DEFAULT = 8080;
/** How often a serving ledger expires holds that are past their expiry. */
export const HOLD_SWEEP_INTERVAL_MS = 1_000;

const OPTIONS = {
  db: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
} as const;

/** A ledger being served; `stop` closes the listener, then the ledger. */
export interface ServingLedger {
  readonly url: string;
  readonly port: number;
  readonly service: LedgerService;
  stop(): Promise<void>;
}

/** Opens the ledger on `db` (refusing a journal that does not verify) and starts the HTTP server. */
export async function serveLedger(db: string, port: number, host: string): Promise<ServingLedger> {
  const service = await openLedger(db, { holdSweepIntervalMs: HOLD_SWEEP_INTERVAL_MS });
  return listen(service, port, host);
}

/** Starts the HTTP server on an open ledger, with the custody routes when `custody` is given. */
export async function listen(
  service: LedgerService,
  port: number,
  host: string,
  custody?: CustodyApiServices,
): Promise<ServingLedger> {
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer({ service, port, host, ...(custody === undefined ? {} : { custody }) });
  } catch (error) {
    await service.close();
    // startServer refuses addresses other than loopback with a RangeError: a command-line problem.
    if (error instanceof RangeError) throw usageError(error.message);
    throw error;
  }
  return {
    url: server.url,
    port: server.port,
    service,
    async stop() {
      await server.close();
      await service.close();
    },
  };
}

/** Serves until the installed shutdown listener fires, then shuts down gracefully. */
export async function serveUntilSignalled(
  io: CliIo,
  serving: ServingLedger,
  shutdown: ShutdownListener,
  quiet: boolean,
): Promise<void> {
  await shutdown.until(() => serving.stop());
  if (!quiet) io.stderr('stopped\n');
}

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'Serve the HTTP API on a SQLite file or a PostgreSQL database',
  help: `Usage: ringfence serve --db <sqlite path | postgres URL> [--port ${PORT_DEFAULT}] [--host ${HOST_DEFAULT}] [--json]

Opens the ledger (replaying and verifying the whole journal; a journal that does not verify is refused),
then serves the HTTP API until SIGINT or SIGTERM, which finish queued writes before exiting.

Options:
  --db <db>       SQLite file (created if missing) or postgres://user:pass@host:port/database
  --port <n>      TCP port, 0 for any free port (default ${PORT_DEFAULT})
  --host <addr>   Loopback address to listen on: 127.0.0.1 (default), ::1 or localhost. The API takes
                  bearer keys over plain HTTP, so it binds loopback only; put a TLS proxy in front
  --json          Print {"url","port","db","headSeq"} as one JSON line once listening
  -h, --help      Show this help

Create keys with "ringfence keys create"; every /v1 route needs one.
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('serve', args, OPTIONS);
    if (values.help) {
      io.stdout(serveCommand.help);
      return 0;
    }
    rejectPositionals('serve', positionals);
    const db = requireOption('serve', 'db', values.db);
    const port = parsePort('serve', values.port ?? String(PORT_DEFAULT));
    const serving = await serveLedger(db, port, values.host ?? HOST_DEFAULT);
    // Listen for signals before announcing readiness (see listenForShutdown).
    const shutdown = listenForShutdown(io, values.json);
    const headSeq = await serving.service.read((engine) => engine.headSeq);
    if (values.json) {
      io.stdout(
        `${JSON.stringify({ url: serving.url, port: serving.port, db: describeDatabase(db), headSeq })}\n`,
      );
    } else {
      io.stdout(`Ringfence serving ${serving.url}\n`);
      io.stdout(
        renderFields([
          ['database', describeDatabase(db)],
          ['journal head', String(headSeq)],
          ['health', `${serving.url}/healthz`],
        ]),
      );
      io.stdout('Press Ctrl+C to stop.\n');
    }
    await serveUntilSignalled(io, serving, shutdown, values.json);
    return 0;
  },
};

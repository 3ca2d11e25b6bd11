// `ringfence serve`: opens the ledger on a database and serves the HTTP API until SIGINT/SIGTERM.

import type { CustodyApiServices } from '../../api/custody-services.ts';
import type { ReservesApiServices } from '../../api/routes/reserves-routes.ts';
import type { ResolutionApiServices } from '../../api/routes/resolution-routes.ts';
import type { SegregationApiServices } from '../../api/segregation-services.ts';
import { startServer } from '../../api/server.ts';
import type { ChainAdapter } from '../../chain/chain-adapter.ts';
import { CLIENT_MONEY_APPROACHES, type ClientMoneyApproach } from '../../core/segregation/client-money.ts';
import type { SegregationRegime } from '../../core/segregation/sealed-statement.ts';
import type { LedgerService } from '../../service/ledger-service.ts';
import { ReservesService } from '../../service/reserves/reserves-service.ts';
import { ResolutionService } from '../../service/resolution/resolution-service.ts';
import { attachAlertWebhook, parseWebhookUrl } from '../../service/segregation/alert-webhook.ts';
import { SegregationService } from '../../service/segregation/segregation-service.ts';
import { alertView } from '../../service/segregation/segregation-views.ts';
import { buildVerifierPage } from '../../web/proof-verifier/build-page.ts';
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

/** How often a serving ledger checks whether a statement missed its finalisation deadline. */
export const DEADLINE_CHECK_INTERVAL_MS = 60_000;
/** The firm named on printable statements unless --firm-name says otherwise. */
export const FIRM_NAME_DEFAULT = 'Ringfence venue';

/** The segregation settings of one deployment (`serve` and `demo` flags). */
export interface SegregationSettings {
  readonly regime: SegregationRegime;
  readonly clientMoneyApproach: ClientMoneyApproach;
  readonly firmName: string;
  /** A loopback URL every alert is POSTed to; null for none. */
  readonly alertWebhook: string | null;
}

/** The flags every serving command takes for segregation. */
export const SEGREGATION_OPTIONS = {
  'segregation-regime': { type: 'string' },
  'client-money-approach': { type: 'string' },
  'firm-name': { type: 'string' },
  'alert-webhook': { type: 'string' },
} as const;

/** Help lines for SEGREGATION_OPTIONS. */
export const SEGREGATION_HELP = `  --segregation-regime <r>   cftc (default): the US futures segregation statement; uk_cass adds the FCA
                             CASS 7.16 client-money calculation to every statement
  --client-money-approach <a>
                             With uk_cass: normal (default, CASS 7.13.6R) or alternative (7.13.54G)
  --firm-name <name>         Named on printable statements and regulator notices (default "${FIRM_NAME_DEFAULT}")
  --alert-webhook <url>      POST every segregation alert as JSON to this loopback URL`;

/** Reads the segregation flags, refusing unknown regimes and approaches. */
export function parseSegregationSettings(
  command: string,
  values: {
    readonly 'segregation-regime'?: string | undefined;
    readonly 'client-money-approach'?: string | undefined;
    readonly 'firm-name'?: string | undefined;
    readonly 'alert-webhook'?: string | undefined;
  },
): SegregationSettings {
  const regime = values['segregation-regime'] ?? 'cftc';
  if (regime !== 'cftc' && regime !== 'uk_cass')
    throw usageError('--segregation-regime is cftc or uk_cass', command);
  const approach = values['client-money-approach'] ?? 'normal';
  if (!(CLIENT_MONEY_APPROACHES as readonly string[]).includes(approach))
    throw usageError('--client-money-approach is normal or alternative', command);
  if (values['client-money-approach'] !== undefined && regime !== 'uk_cass')
    throw usageError('--client-money-approach applies only with --segregation-regime uk_cass', command);
  const webhook = values['alert-webhook'] ?? null;
  if (webhook !== null) {
    try {
      parseWebhookUrl(webhook);
    } catch (error) {
      throw usageError((error as Error).message, command);
    }
  }
  return {
    regime,
    clientMoneyApproach: approach as ClientMoneyApproach,
    firmName: values['firm-name'] ?? FIRM_NAME_DEFAULT,
    alertWebhook: webhook,
  };
}

/** The default settings: the US statement, no webhook. */
export const SEGREGATION_DEFAULTS: SegregationSettings = {
  regime: 'cftc',
  clientMoneyApproach: 'normal',
  firmName: FIRM_NAME_DEFAULT,
  alertWebhook: null,
};

const OPTIONS = {
  db: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  ...SEGREGATION_OPTIONS,
} as const;

/** A ledger being served; `stop` closes the listener, then the ledger. */
export interface ServingLedger {
  readonly url: string;
  readonly port: number;
  readonly service: LedgerService;
  stop(): Promise<void>;
}

/** Opens the ledger on `db` (refusing a journal that does not verify) and starts the HTTP server. */
export async function serveLedger(
  db: string,
  port: number,
  host: string,
  settings: SegregationSettings = SEGREGATION_DEFAULTS,
): Promise<ServingLedger> {
  const service = await openLedger(db, { holdSweepIntervalMs: HOLD_SWEEP_INTERVAL_MS });
  return listen(service, port, host, { segregation: settings });
}

/** What `listen` serves besides the ledger. */
export interface ListenServices {
  readonly custody?: CustodyApiServices;
  /** Segregation is always served; these are its settings and, when a chain is read, its adapter. */
  readonly segregation?: SegregationSettings;
  readonly chain?: ChainAdapter;
  /** An already opened segregation service (the demo opens it to seed its day); opened here otherwise. */
  readonly segregationService?: SegregationService;
  /**
   * An already opened reserves service (the demo's has the platform key and reads its chain); otherwise one
   * is opened that serves published audits and proofs but has no key to publish new ones.
   */
  readonly reservesService?: ReservesService;
  /** An already opened resolution service (the demo's); otherwise one is opened over the segregation service. */
  readonly resolutionService?: ResolutionService;
}

/** The offline verifier page, built once per process on first request. */
function cachedVerifierPage(): () => Promise<string> {
  let page: Promise<string> | null = null;
  return () => {
    page ??= buildVerifierPage();
    return page;
  };
}

/**
 * Starts the HTTP server on an open ledger with the segregation routes (its deadline check running and its
 * alerts going to the webhook, if any), the reserves and resolution routes (a freeze recorded before is in
 * force again), and the custody routes when `custody` is given.
 */
export async function listen(
  service: LedgerService,
  port: number,
  host: string,
  services: ListenServices = {},
): Promise<ServingLedger> {
  const settings = services.segregation ?? SEGREGATION_DEFAULTS;
  let server: Awaited<ReturnType<typeof startServer>>;
  let segregation: SegregationApiServices;
  let stopWebhook: () => Promise<void> = async () => undefined;
  let deadlineTimer: NodeJS.Timeout | null = null;
  try {
    const segregationService =
      services.segregationService ??
      (await SegregationService.open(service, {
        regime: settings.regime,
        clientMoneyApproach: settings.clientMoneyApproach,
      }));
    segregation = { service: segregationService, chain: services.chain ?? null, firmName: settings.firmName };
    // Opening the resolution service installs its freeze on the ledger: a book frozen before the restart
    // refuses every command from here on, before the server takes a request.
    const resolution: ResolutionApiServices = {
      service:
        services.resolutionService ??
        (await ResolutionService.open(service, { segregation: segregationService })),
      firmName: settings.firmName,
    };
    if (settings.alertWebhook !== null) {
      const scales = new Map(
        (await service.read((engine) => engine.listAssets())).map((asset) => [asset.code, asset.scale]),
      );
      stopWebhook = attachAlertWebhook(segregationService, {
        url: parseWebhookUrl(settings.alertWebhook),
        render: (alert) => alertView(alert, (asset) => scales.get(asset) ?? 0),
        onUndelivered: (alert, reason) =>
          process.stderr.write(
            `alert ${alert.code} (${alert.key}) not delivered to the webhook: ${reason}\n`,
          ),
      });
    }
    deadlineTimer = setInterval(
      () => void segregationService.checkDeadlines().catch(() => undefined),
      DEADLINE_CHECK_INTERVAL_MS,
    );
    deadlineTimer.unref();
    const reserves: ReservesApiServices = {
      service:
        services.reservesService ??
        (await ReservesService.open(service, { chain: services.chain ?? null, platformSigner: null })),
      verifierPage: cachedVerifierPage(),
    };
    server = await startServer({
      service,
      port,
      host,
      segregation,
      reserves,
      resolution,
      ...(services.custody === undefined ? {} : { custody: services.custody }),
    });
  } catch (error) {
    if (deadlineTimer !== null) clearInterval(deadlineTimer);
    await stopWebhook();
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
      if (deadlineTimer !== null) clearInterval(deadlineTimer);
      await server.close();
      await stopWebhook();
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
${SEGREGATION_HELP}
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
    const settings = parseSegregationSettings('serve', values);
    const serving = await serveLedger(db, port, values.host ?? HOST_DEFAULT, settings);
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

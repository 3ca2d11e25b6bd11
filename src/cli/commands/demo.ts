// `ringfence demo`: starts the in-process local chain with the demo's Safe vaults and tokens, seeds a fresh
// demo book that registers them, funds each vault with the custody the ledger records, runs a customer
// withdrawal through the Safe and a refused platform-only attempt, then creates an operator, an auditor and a
// customer key, serves the API with custody attached and prints what to try next. `--off-chain` keeps the
// older behaviour: no chain, and a book seeded before is reused.

import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createChainAdapter } from '../../chain/index.ts';
import { createApiKey } from '../../service/api-keys.ts';
import {
  DEMO_FEATURED_CUSTOMER_ID,
  DEMO_REFUSED_LABEL,
  DEMO_SEED_DEFAULT,
  type DemoBookSummary,
  demoTransferId,
  seedDemoBook,
} from '../../service/demo-book.ts';
import { fundDemoVaults, startDemoChain } from '../../service/demo-chain.ts';
import { type DemoCustody, openDemoCustody } from '../../service/demo-custody.ts';
import { type DemoReserves, runDemoReserves } from '../../service/demo-reserves.ts';
import { type DemoResolution, runDemoResolution } from '../../service/demo-resolution.ts';
import {
  DEMO_FIRM_NAME,
  type DemoSegregationReport,
  runDemoSegregation,
} from '../../service/demo-segregation.ts';
import { runDemoWithdrawals } from '../../service/demo-withdrawals.ts';
import type { LedgerService } from '../../service/ledger-service.ts';
import { writePackFiles } from '../../service/resolution/pack-files.ts';
import { SegregationService } from '../../service/segregation/segregation-service.ts';
import { isPostgresUrl } from '../../store/open-store.ts';
import { buildVerifierPage } from '../../web/proof-verifier/build-page.ts';
import { parseCommandArgs, parsePort, rejectPositionals } from '../args.ts';
import { usageError } from '../cli-error.ts';
import type { CliCommand, CliIo } from '../command.ts';
import { describeDatabase, openLedger } from '../database.ts';
import { type DemoChainRun, demoChainJson, renderDemoChain } from '../demo-chain-output.ts';
import { type DemoReservesFiles, demoReservesJson, renderDemoReserves } from '../demo-reserves-output.ts';
import {
  type DemoResolutionFiles,
  demoResolutionJson,
  renderDemoResolution,
} from '../demo-resolution-output.ts';
import { demoSegregationJson, renderDemoSegregation } from '../demo-segregation-output.ts';
import { renderFields } from '../output.ts';
import { listenForShutdown } from '../shutdown.ts';
import {
  HOLD_SWEEP_INTERVAL_MS,
  HOST_DEFAULT,
  listen,
  PORT_DEFAULT,
  parseSegregationSettings,
  SEGREGATION_HELP,
  SEGREGATION_OPTIONS,
  type ServingLedger,
  serveUntilSignalled,
} from './serve.ts';

/** Where the demo keeps its book unless --db says otherwise. */
export const DEMO_DB_DEFAULT = './data/demo.sqlite';
/** Where the demo writes today's printable segregation statement unless --statement-out says otherwise. */
export const DEMO_STATEMENT_DEFAULT = './data/demo-statement.html';

const OPTIONS = {
  db: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  reset: { type: 'boolean', default: false },
  seed: { type: 'string' },
  'off-chain': { type: 'boolean', default: false },
  'statement-out': { type: 'string' },
  ...SEGREGATION_OPTIONS,
} as const;

/** A destination nobody allowlisted: the demo's policy denies withdrawals to it (rule outside-allowlist). */
const DENIED_DESTINATION = `0x${'0bad'.padStart(40, '0')}`;

/** The refused sweep as the demo reports it. */
interface Refusal {
  readonly transferId: string;
  readonly code: string;
  readonly message: string;
}

/** The keys the demo creates at every start. */
interface DemoKeys {
  readonly operator: string;
  readonly auditor: string;
  readonly customer: string;
  /** Two officers: residual-interest withdrawals over the gate's thresholds need both. */
  readonly officers: readonly [string, string];
}

export const demoCommand: CliCommand = {
  name: 'demo',
  summary: 'Seed a realistic demo book and serve it, with keys and examples',
  help: `Usage: ringfence demo [--db ${DEMO_DB_DEFAULT}] [--port ${PORT_DEFAULT}] [--host ${HOST_DEFAULT}] [--seed <n>] [--off-chain [--reset]] [--json]

Starts a local EVM in this process (Hardhat's in-process network: nothing to install, nothing left behind)
with Safe smart accounts from the official npm artifacts: one guarded 2-of-3 Safe per customer account class
(platform, trustee, custodian recovery), a house Safe, an insurance-fund Safe, and test tokens (WBTC, USDC,
USDT; ETH is native). Seeds a fresh demo venue that registers those vaults: BTC, ETH, USDC and USDT;
derivatives and spot account classes; 36 customers with deposits, trade settlements, fees, withdrawals
through holds, house capital, residual interest, an insurance fund, and one refused attempt to sweep
customer money into the house. Mints to every vault exactly the custody the ledger records. Then shows a
customer withdrawal of 250 USDC going through the policy, the customer's and the trustee's approvals and
the platform's and the trustee's Safe signatures on chain, and the platform refused when it tries alone
(off chain by the policy and quorum rules, on chain by the Safe). Then the segregation day: the board's
targeted residual interest, one seeded break (a 1,500 USDC deposit credited for a transaction that never
reached the vault), a reconciliation against the chain that finds it and issues the top-up instruction,
and today's segregation statement, finalised, sealed and written as a printable HTML file. Then a
contagion simulation of a house trading loss (customer recoveries segregated vs commingled) and a
resolution pack for the book computed as a dry run (a simulated freeze: the ledger keeps running), written
to demo-resolution/ beside the statement (pack.json, pack.csv, report.html). Finally
creates an operator, an auditor, a customer and two officer keys, serves the API (withdrawal and
segregation routes included) and prints curl and CLI lines to try.

The chain lives in memory, so every start seeds a fresh book: the SQLite file is replaced, and a
PostgreSQL database must be empty. Ctrl+C stops it.

Options:
  --db <db>       SQLite file (default ${DEMO_DB_DEFAULT}) or postgres:// URL of an empty database
  --port <n>      TCP port, 0 for any free port (default ${PORT_DEFAULT})
  --host <addr>   Loopback address to listen on (default ${HOST_DEFAULT})
  --seed <n>      Seed of the demo book (default ${DEMO_SEED_DEFAULT}); the same seed gives the same book
  --off-chain     No chain and no custody routes: seed the book when the ledger is empty, otherwise serve
                  the book already there (vaults at made-up addresses)
  --reset         With --off-chain: delete the SQLite file first and seed a fresh book
  --statement-out <path>
                  On chain: where to write today's printable segregation statement (default
                  ${DEMO_STATEMENT_DEFAULT})
  --json          Print {"url","db","seeded","summary","refused","keys","chain","segregation"} as one JSON
                  line once serving
${SEGREGATION_HELP}
  -h, --help      Show this help
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('demo', args, OPTIONS);
    if (values.help) {
      io.stdout(demoCommand.help);
      return 0;
    }
    rejectPositionals('demo', positionals);
    const db = values.db ?? DEMO_DB_DEFAULT;
    const port = parsePort('demo', values.port ?? String(PORT_DEFAULT));
    const seed = values.seed === undefined ? DEMO_SEED_DEFAULT : Number(values.seed);
    const settings = parseSegregationSettings('demo', values);
    const statementOut = values['statement-out'] ?? DEMO_STATEMENT_DEFAULT;
    if (!/^\d{1,9}$/.test(values.seed ?? '0'))
      throw usageError('--seed must be a non-negative integer', 'demo');
    const onChain = !values['off-chain'];
    if (values.reset || onChain) {
      if (isPostgresUrl(db)) {
        if (values.reset)
          throw usageError(
            '--reset deletes SQLite files only; drop and recreate the PostgreSQL database instead',
            'demo',
          );
      } else {
        // The chain starts empty on every run, so the book it backs must too.
        for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${db}${suffix}`, { force: true });
      }
    }
    const service = await openLedger(db, { holdSweepIntervalMs: HOLD_SWEEP_INTERVAL_MS });
    let summary: DemoBookSummary | null = null;
    let refused: Refusal | null;
    let keys: DemoKeys;
    let chainRun: DemoChainRun | null = null;
    let custody: DemoCustody | null = null;
    let segregation: SegregationService | null = null;
    let segregationDay: DemoSegregationReport | null = null;
    let reserves: DemoReserves | null = null;
    let reservesFiles: DemoReservesFiles | null = null;
    let resolution: DemoResolution | null = null;
    let resolutionFiles: DemoResolutionFiles | null = null;
    try {
      segregation = await SegregationService.open(service, {
        regime: settings.regime,
        clientMoneyApproach: settings.clientMoneyApproach,
      });
      const empty = (await service.read((engine) => engine.headSeq)) === 0;
      if (onChain) {
        if (!empty)
          throw usageError(
            `the on-chain demo seeds an empty database (its chain lives in memory, so a book from an earlier run has no vaults behind it); drop and recreate ${describeDatabase(db)}, or pass --off-chain to serve the book already there`,
            'demo',
          );
        if (!values.json) io.stderr('starting the local chain and deploying the Safe vaults and tokens...\n');
        const started = await startOnChainDemo(
          service,
          segregation,
          seed,
          io,
          values.json,
          values['firm-name'] ?? DEMO_FIRM_NAME,
        );
        summary = started.summary;
        chainRun = started.run;
        custody = started.custody;
        segregationDay = started.segregationDay;
        reserves = started.reserves;
        resolution = started.resolution;
        mkdirSync(dirname(statementOut), { recursive: true });
        writeFileSync(statementOut, segregationDay.statementHtml);
        reservesFiles = await writeDemoReservesFiles(reserves, dirname(statementOut));
        resolutionFiles = writeDemoResolutionFiles(
          resolution,
          join(dirname(statementOut), 'demo-resolution'),
        );
        refused = summary.refused;
      } else if (empty) {
        if (!values.json) io.stderr(`seeding the demo book (seed ${seed}) into ${describeDatabase(db)}...\n`);
        summary = await seedDemoBook(service, { seed });
        refused = summary.refused;
      } else {
        // The book was seeded before: the refusal is remembered against its id, with its code.
        const transferId = demoTransferId(seed, DEMO_REFUSED_LABEL);
        const failure = await service.read((engine) => engine.getFailure(transferId));
        refused = failure === undefined ? null : { transferId, code: failure.code, message: failure.message };
      }
      keys = {
        operator: (await createApiKey(service.store, 'operator', null)).secret,
        auditor: (await createApiKey(service.store, 'auditor', null)).secret,
        customer: (await createApiKey(service.store, 'customer', DEMO_FEATURED_CUSTOMER_ID)).secret,
        officers: [
          (await createApiKey(service.store, 'officer', null)).secret,
          (await createApiKey(service.store, 'officer', null)).secret,
        ],
      };
    } catch (error) {
      await chainRun?.demo.stop();
      await service.close();
      throw error;
    }
    const listening = await listen(service, port, values.host ?? HOST_DEFAULT, {
      segregation: onChain ? { ...settings, firmName: values['firm-name'] ?? DEMO_FIRM_NAME } : settings,
      segregationService: segregation,
      ...(reserves === null ? {} : { reservesService: reserves.service }),
      ...(resolution === null ? {} : { resolutionService: resolution.service }),
      ...(custody === null ? {} : { custody: { withdrawals: custody.withdrawals } }),
      ...(chainRun === null ? {} : { chain: createChainAdapter(chainRun.demo.writer.publicClient) }),
    }).catch(async (error: unknown) => {
      await chainRun?.demo.stop();
      throw error;
    });
    const serving: ServingLedger = {
      ...listening,
      async stop() {
        await listening.stop();
        await chainRun?.demo.stop();
      },
    };
    // Listen for signals before announcing readiness (see listenForShutdown).
    const shutdown = listenForShutdown(io, values.json);
    const headSeq = await service.read((engine) => engine.headSeq);
    if (values.json) {
      io.stdout(
        `${JSON.stringify({ url: serving.url, port: serving.port, db: describeDatabase(db), headSeq, seeded: summary !== null, summary, refused, keys, chain: chainRun === null ? null : demoChainJson(chainRun), segregation: segregationDay === null ? null : demoSegregationJson(segregationDay, statementOut), reserves: reserves === null || reservesFiles === null ? null : demoReservesJson(reserves, reservesFiles), resolution: resolution === null || resolutionFiles === null ? null : demoResolutionJson(resolution, resolutionFiles) })}\n`,
      );
    } else {
      printWalkthrough(io, {
        url: serving.url,
        db,
        headSeq,
        summary,
        refused,
        keys,
        chainRun,
        segregationDay,
        statementOut,
        reserves: reserves === null || reservesFiles === null ? null : { reserves, files: reservesFiles },
        resolution:
          resolution === null || resolutionFiles === null ? null : { resolution, files: resolutionFiles },
      });
    }
    await serveUntilSignalled(io, serving, shutdown, values.json);
    return 0;
  },
};

/** Deploys the demo chain, seeds the book onto its vaults, funds them and runs the withdrawal scenario. */
async function startOnChainDemo(
  service: LedgerService,
  segregation: SegregationService,
  seed: number,
  io: CliIo,
  quiet: boolean,
  firmName: string,
): Promise<{
  summary: DemoBookSummary;
  run: DemoChainRun;
  custody: DemoCustody;
  segregationDay: DemoSegregationReport;
  reserves: DemoReserves;
  resolution: DemoResolution;
}> {
  const demo = await startDemoChain();
  try {
    if (!quiet)
      io.stderr(`seeding the demo book (seed ${seed}) onto those vaults and minting their custody...\n`);
    const summary = await seedDemoBook(service, { seed, vaults: demo.vaults });
    const funding = await fundDemoVaults(demo, service);
    const custody = await openDemoCustody(demo, service);
    if (!quiet) io.stderr('running a customer withdrawal and a platform-only attempt on chain...\n');
    const withdrawals = await runDemoWithdrawals(demo, service, custody);
    if (!quiet) io.stderr("reconciling against the chain and finalising today's segregation statement...\n");
    const segregationDay = await runDemoSegregation(
      service,
      segregation,
      createChainAdapter(demo.writer.publicClient),
      seed,
    );
    if (!quiet) io.stderr('publishing a proof-of-reserves audit signed by the platform key...\n');
    const reserves = await runDemoReserves(
      service,
      createChainAdapter(demo.writer.publicClient),
      demo.parties,
    );
    if (!quiet)
      io.stderr(
        'simulating a house trading loss and a resolution pack (a simulated freeze: nothing stops)...\n',
      );
    const resolution = await runDemoResolution(service, segregation, firmName);
    return { summary, run: { demo, funding, withdrawals }, custody, segregationDay, reserves, resolution };
  } catch (error) {
    await demo.stop();
    throw error;
  }
}

function printWalkthrough(
  io: CliIo,
  demo: {
    url: string;
    db: string;
    headSeq: number;
    summary: DemoBookSummary | null;
    refused: Refusal | null;
    keys: DemoKeys;
    chainRun: DemoChainRun | null;
    segregationDay: DemoSegregationReport | null;
    statementOut: string;
    reserves: { reserves: DemoReserves; files: DemoReservesFiles } | null;
    resolution: { resolution: DemoResolution; files: DemoResolutionFiles } | null;
  },
): void {
  const { url, db, keys, summary, refused, chainRun, segregationDay } = demo;
  const customer = DEMO_FEATURED_CUSTOMER_ID;
  const book =
    summary === null
      ? `reused (journal head ${demo.headSeq}; --off-chain --reset seeds a fresh one)`
      : `seeded: ${summary.customers} customers, ${summary.accounts} accounts, ${summary.transfers} transfers (journal head ${summary.headSeq})`;
  const fields: [string, string][] = [
    ['database', describeDatabase(db)],
    ['book', book],
  ];
  if (refused !== null)
    fields.push(['refused', `treasury sweep of ${customer}'s USDC into house equity -> ${refused.code}`]);
  io.stdout(`Ringfence demo serving ${url}\n\n`);
  if (chainRun === null)
    fields.push(['chain', 'off (--off-chain): vaults at made-up addresses, no custody routes']);
  io.stdout(renderFields(fields, '  '));
  if (chainRun !== null) io.stdout(renderDemoChain(chainRun));
  io.stdout('\nKeys (created for this run; only their hashes are stored):\n');
  io.stdout(
    renderFields(
      [
        ['operator', keys.operator],
        ['auditor', keys.auditor],
        [`customer ${customer}`, keys.customer],
        ['officer 1', keys.officers[0]],
        ['officer 2', keys.officers[1]],
      ],
      '  ',
    ),
  );
  const auth = (key: string) => `-H 'Authorization: Bearer ${key}'`;
  const post = (body: unknown) =>
    `-X POST ${auth(keys.operator)} -H 'content-type: application/json' -d '${JSON.stringify(body)}'`;
  const trade = {
    id: randomBytes(16).toString('hex'),
    kind: 'trade_settlement',
    reference: 'fill-demo-0001',
    legs: [
      {
        debit: 'ri:derivatives:USDC',
        credit: `${customer}:derivatives:USDC`,
        asset: 'USDC',
        amount: '125.50',
      },
    ],
  };
  const sweep = {
    id: randomBytes(16).toString('hex'),
    kind: 'house_transfer',
    reference: 'treasury-sweep-demo',
    legs: [
      { debit: `${customer}:derivatives:USDC`, credit: 'house:equity:USDC', asset: 'USDC', amount: '10000' },
    ],
  };
  const dbArgument = db.includes(' ') ? `'${db}'` : db;
  const withdrawalLines = chainRun === null ? '' : renderWithdrawalLines(url, keys, chainRun);
  io.stdout(`
Try it with curl:
  curl -s ${url}/healthz
  curl -s ${url}/openapi.json
  curl -s ${auth(keys.customer)} '${url}/v1/balances?customerId=${customer}'
  curl -s ${auth(keys.auditor)} ${url}/v1/pools
  curl -s ${auth(keys.auditor)} '${url}/v1/holds?status=pending'
  # a trade settlement: the house (through residual interest) pays ${customer} 125.50 USDC
  curl -s ${post(trade)} ${url}/v1/transfers
  # refused: customer money may never move to the house (422 segregation_customer_to_house_forbidden)
  curl -s ${post(sweep)} ${url}/v1/transfers
  curl -s -X POST ${auth(keys.auditor)} ${url}/v1/journal/verify
${withdrawalLines}
Or with the CLI (another terminal, from the repository):
  export RINGFENCE_URL=${url} RINGFENCE_KEY=${keys.operator}
  npx ringfence balances --customer ${customer}
  npx ringfence pools
  npx ringfence holds
  npx ringfence transfer --kind trade_settlement --reference fill-demo-0002 --leg ri:derivatives:USDC,${customer}:derivatives:USDC,USDC,125.50
  npx ringfence transfer --kind house_transfer --reference treasury-sweep-demo --leg ${customer}:derivatives:USDC,house:equity:USDC,USDC,10000
  npx ringfence journal verify --db ${dbArgument}
${chainRun === null ? '' : renderWithdrawalCliLines(chainRun)}${segregationDay === null ? '' : renderDemoSegregation(segregationDay, demo.statementOut, url, keys)}${demo.reserves === null ? '' : renderDemoReserves(demo.reserves.reserves, demo.reserves.files, url, keys.customer)}${demo.resolution === null ? '' : renderDemoResolution(demo.resolution.resolution, demo.resolution.files, url, keys)}
Press Ctrl+C to stop.
`);
}

// Curl lines for the custody routes: the scenario's requests, the vault's policy, executing the request the
// demo left approved, and a request the policy denies.
function renderWithdrawalLines(url: string, keys: DemoKeys, run: DemoChainRun): string {
  const auth = (key: string) => `-H 'Authorization: Bearer ${key}'`;
  const { executed, ready } = run.withdrawals;
  const vaultId = executed.request.vaultId;
  const denied = {
    requestId: `0x${randomBytes(32).toString('hex')}`,
    vaultId,
    asset: 'USDC',
    amount: '10',
    destination: DENIED_DESTINATION,
    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
  };
  return `
Withdrawals (on the local chain; the platform cannot move customer coins alone):
  curl -s ${auth(keys.customer)} ${url}/v1/withdrawals
  curl -s ${auth(keys.auditor)} ${url}/v1/withdrawals/${executed.request.requestId}
  curl -s ${auth(keys.auditor)} ${url}/v1/vaults/${vaultId}/policy
  # approved by ${ready.customerId} and the trustee, not yet executed: the platform and the trustee sign the SafeTx
  curl -s -X POST ${auth(keys.operator)} ${url}/v1/withdrawals/${ready.requestId}/execute
  # denied by rule 0 (outside-allowlist): nobody allowlisted this destination (state rejected, hold voided)
  curl -s -X POST ${auth(keys.customer)} -H 'content-type: application/json' -d '${JSON.stringify(denied)}' ${url}/v1/withdrawals
`;
}

// CLI lines for the same: list and show the scenario's requests, execute the one left approved, and a
// request the policy denies.
function renderWithdrawalCliLines(run: DemoChainRun): string {
  const { executed, ready } = run.withdrawals;
  return `  npx ringfence withdrawals list
  npx ringfence withdrawals show ${executed.request.requestId}
  npx ringfence withdrawals execute ${ready.requestId}
  npx ringfence withdrawals request --customer ${executed.request.customerId} --vault ${executed.request.vaultId} --asset USDC --amount 10 --destination ${DENIED_DESTINATION}
`;
}

/** Writes the demo's attestation, the featured customer's proof and the offline verifier page beside the statement. */
async function writeDemoReservesFiles(reserves: DemoReserves, directory: string): Promise<DemoReservesFiles> {
  const files: DemoReservesFiles = {
    attestation: join(directory, 'demo-attestation.json'),
    proof: join(directory, `demo-proof-${reserves.featuredProof.leaf.customerId}.json`),
    page: join(directory, 'verify.html'),
  };
  writeFileSync(files.attestation, `${JSON.stringify(reserves.audit.attestation, null, 2)}\n`);
  writeFileSync(files.proof, `${JSON.stringify(reserves.featuredProof, null, 2)}\n`);
  writeFileSync(files.page, await buildVerifierPage());
  return files;
}

/** Writes the demo's dry-run resolution pack (pack.json, pack.csv, report.html) into `directory`. */
function writeDemoResolutionFiles(resolution: DemoResolution, directory: string): DemoResolutionFiles {
  mkdirSync(directory, { recursive: true });
  const files: DemoResolutionFiles = {
    directory,
    json: join(directory, 'pack.json'),
    csv: join(directory, 'pack.csv'),
    html: join(directory, 'report.html'),
  };
  writePackFiles(resolution.pack, files);
  return files;
}

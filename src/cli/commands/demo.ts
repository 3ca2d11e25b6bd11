// `ringfence demo`: seeds the demo book into a fresh database (or reuses one seeded before), creates an
// operator, an auditor and a customer key, serves the API and prints what to try next.

import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createApiKey } from '../../service/api-keys.ts';
import {
  DEMO_FEATURED_CUSTOMER_ID,
  DEMO_REFUSED_LABEL,
  DEMO_SEED_DEFAULT,
  type DemoBookSummary,
  demoTransferId,
  seedDemoBook,
} from '../../service/demo-book.ts';
import { isPostgresUrl } from '../../store/open-store.ts';
import { parseCommandArgs, parsePort, rejectPositionals } from '../args.ts';
import { usageError } from '../cli-error.ts';
import type { CliCommand, CliIo } from '../command.ts';
import { describeDatabase, openLedger } from '../database.ts';
import { renderFields } from '../output.ts';
import { HOLD_SWEEP_INTERVAL_MS, HOST_DEFAULT, listen, PORT_DEFAULT, serveUntilSignalled } from './serve.ts';

/** Where the demo keeps its book unless --db says otherwise. */
export const DEMO_DB_DEFAULT = './data/demo.sqlite';

const OPTIONS = {
  db: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  reset: { type: 'boolean', default: false },
  seed: { type: 'string' },
} as const;

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
}

export const demoCommand: CliCommand = {
  name: 'demo',
  summary: 'Seed a realistic demo book and serve it, with keys and examples',
  help: `Usage: ringfence demo [--db ${DEMO_DB_DEFAULT}] [--port ${PORT_DEFAULT}] [--host ${HOST_DEFAULT}] [--reset] [--seed <n>] [--json]

Seeds the demo venue when the ledger is empty: BTC, ETH, USDC and USDT; derivatives and spot account
classes; 36 customers with deposits, trade settlements, fees, withdrawals through holds (one posted,
one pending), house capital, residual interest and an insurance fund, and one refused attempt to sweep
customer money into the house. Then creates an operator, an auditor and a customer key, serves the API
and prints curl and CLI lines to try. Ctrl+C stops it; the book stays for the next start.

Options:
  --db <db>       SQLite file (default ${DEMO_DB_DEFAULT}) or postgres:// URL of an empty database
  --port <n>      TCP port, 0 for any free port (default ${PORT_DEFAULT})
  --host <addr>   Loopback address to listen on (default ${HOST_DEFAULT})
  --reset         Delete the SQLite file first and seed a fresh book
  --seed <n>      Seed of the demo book (default ${DEMO_SEED_DEFAULT}); the same seed gives the same book
  --json          Print {"url","db","seeded","summary","refused","keys"} as one JSON line once serving
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
    if (!/^\d{1,9}$/.test(values.seed ?? '0'))
      throw usageError('--seed must be a non-negative integer', 'demo');
    if (values.reset) {
      if (isPostgresUrl(db))
        throw usageError(
          '--reset deletes SQLite files only; drop and recreate the PostgreSQL database instead',
          'demo',
        );
      for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${db}${suffix}`, { force: true });
    }
    const service = await openLedger(db, { holdSweepIntervalMs: HOLD_SWEEP_INTERVAL_MS });
    let summary: DemoBookSummary | null = null;
    let refused: Refusal | null;
    let keys: DemoKeys;
    try {
      if ((await service.read((engine) => engine.headSeq)) === 0) {
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
      };
    } catch (error) {
      await service.close();
      throw error;
    }
    const serving = await listen(service, port, values.host ?? HOST_DEFAULT);
    const headSeq = await service.read((engine) => engine.headSeq);
    if (values.json) {
      io.stdout(
        `${JSON.stringify({ url: serving.url, port: serving.port, db: describeDatabase(db), headSeq, seeded: summary !== null, summary, refused, keys })}\n`,
      );
    } else {
      printWalkthrough(io, { url: serving.url, db, headSeq, summary, refused, keys });
    }
    await serveUntilSignalled(io, serving, values.json);
    return 0;
  },
};

function printWalkthrough(
  io: CliIo,
  demo: {
    url: string;
    db: string;
    headSeq: number;
    summary: DemoBookSummary | null;
    refused: Refusal | null;
    keys: DemoKeys;
  },
): void {
  const { url, db, keys, summary, refused } = demo;
  const customer = DEMO_FEATURED_CUSTOMER_ID;
  const book =
    summary === null
      ? `reused (journal head ${demo.headSeq}; --reset seeds a fresh one)`
      : `seeded: ${summary.customers} customers, ${summary.accounts} accounts, ${summary.transfers} transfers (journal head ${summary.headSeq})`;
  const fields: [string, string][] = [
    ['database', describeDatabase(db)],
    ['book', book],
  ];
  if (refused !== null)
    fields.push(['refused', `treasury sweep of ${customer}'s USDC into house equity -> ${refused.code}`]);
  io.stdout(`Ringfence demo serving ${url}\n\n`);
  io.stdout(renderFields(fields, '  '));
  io.stdout('\nKeys (created for this run; only their hashes are stored):\n');
  io.stdout(
    renderFields(
      [
        ['operator', keys.operator],
        ['auditor', keys.auditor],
        [`customer ${customer}`, keys.customer],
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

Or with the CLI (another terminal, from the repository):
  export RINGFENCE_URL=${url} RINGFENCE_KEY=${keys.operator}
  npx ringfence balances --customer ${customer}
  npx ringfence pools
  npx ringfence holds
  npx ringfence transfer --kind trade_settlement --reference fill-demo-0002 --leg ri:derivatives:USDC,${customer}:derivatives:USDC,USDC,125.50
  npx ringfence transfer --kind house_transfer --reference treasury-sweep-demo --leg ${customer}:derivatives:USDC,house:equity:USDC,USDC,10000
  npx ringfence journal verify --db ${dbArgument}

Press Ctrl+C to stop.
`);
}

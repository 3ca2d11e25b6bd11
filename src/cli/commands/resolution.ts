// `ringfence resolution`: insolvency resolution against a server (--url/--key). Officers request and approve
// the freeze; operators and officers record recovered debts; the distribution, a customer's statement and the
// resolution pack (pack.json as the server wrote it, pack.csv and report.html rendered from it here, with a
// progress bar on long runs); contagion simulations with built-in scenarios or a scenario file, as a table.

import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { BUILT_IN_SCENARIOS } from '../../service/resolution/contagion-scenarios.ts';
import { writePackFiles } from '../../service/resolution/pack-files.ts';
import type { PackEstate, ResolutionPackDocument } from '../../service/resolution/resolution-pack.ts';
import type {
  ContagionReportJson,
  DistributionJson,
  ResolutionStatusJson,
} from '../../service/resolution/resolution-views.ts';
import { parseCommandArgs, requireOption } from '../args.ts';
import { CliError, usageError } from '../cli-error.ts';
import type { CliCommand, CliIo } from '../command.ts';
import { queryString, requestJson, requestText, SERVER_OPTIONS, serverTarget } from '../http-client.ts';
import { printJson, renderFields, renderTable } from '../output.ts';
import { progressBar } from '../progress-bar.ts';

const COMMAND = 'resolution';

const OPTIONS = {
  ...SERVER_OPTIONS,
  reason: { type: 'string' },
  customer: { type: 'string' },
  asset: { type: 'string' },
  'account-class': { type: 'string' },
  amount: { type: 'string' },
  reference: { type: 'string' },
  out: { type: 'string' },
  simulated: { type: 'boolean', default: false },
  progress: { type: 'boolean', default: false },
  scenario: { type: 'string' },
} as const;

/** The files `resolution pack` writes into --out. */
export const PACK_FILES = { json: 'pack.json', csv: 'pack.csv', html: 'report.html' } as const;

export const resolutionCommand: CliCommand = {
  name: 'resolution',
  summary: 'Insolvency resolution: freeze, claims, distribution, the resolution pack, contagion simulations',
  help: `Usage: ringfence resolution status
       ringfence resolution freeze --reason <text>          (an officer key)
       ringfence resolution approve                          (a second, distinct officer key)
       ringfence resolution recover --customer <id> --asset <code> --account-class <class> --amount <n> --reference <text>
       ringfence resolution distribution
       ringfence resolution claims --customer <id>
       ringfence resolution pack --out <dir> [--simulated] [--progress]
       ringfence resolution simulate --scenario <name | file.json>

status        Open, a freeze awaiting its second officer, or frozen (the pinned journal position).
freeze        Requests a freeze of the books; a second officer must approve it.
approve       Approves the pending freeze: the books are pinned at the journal head and the ledger refuses
              every command (ledger_frozen) from then on.
recover       Records a debt recovered from a deficit customer (operator or officer key); that estate's
              distribution is recomputed.
distribution  Each estate's property, claims, ratio and payouts in total.
claims        One customer's statement (a customer key: its own).
pack          Writes ${PACK_FILES.json} (as the server produced it), ${PACK_FILES.csv} and ${PACK_FILES.html} into --out.
              --simulated asks for a dry run at the journal head without a freeze. A progress bar is drawn
              on a terminal when rendering takes over a second, or always with --progress.
simulate      Runs a contagion scenario on the current books and prints recoveries segregated vs
              commingled. Built-in: ${Object.keys(BUILT_IN_SCENARIOS).join(', ')}; or a JSON file
              {"name","events":[...],"houseCreditors":[...]} (docs/resolution.md).

Options:
  --url <url>      Server (default $RINGFENCE_URL or http://127.0.0.1:8080)
  --key <secret>   API key (default $RINGFENCE_KEY)
  --json           Print JSON
  -h, --help       Show this help
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(COMMAND, args, OPTIONS);
    if (values.help) {
      io.stdout(resolutionCommand.help);
      return 0;
    }
    const [action, ...rest] = positionals;
    if (rest.length > 0) throw usageError(`unexpected argument "${rest[0]}"`, COMMAND);
    const target = () => serverTarget(COMMAND, io, values);
    switch (action) {
      case 'status': {
        const status = (await requestJson(target(), 'GET', '/v1/resolution')) as ResolutionStatusJson;
        if (values.json) printJson(io, status);
        else io.stdout(renderStatus(status));
        return 0;
      }
      case 'freeze': {
        const reason = requireOption(COMMAND, 'reason', values.reason);
        const status = (await requestJson(target(), 'POST', '/v1/resolution/freeze', {
          reason,
        })) as ResolutionStatusJson;
        if (values.json) printJson(io, status);
        else
          io.stdout(
            `${renderStatus(status)}A second, distinct officer approves with: ringfence resolution approve\n`,
          );
        return 0;
      }
      case 'approve': {
        const status = (await requestJson(
          target(),
          'POST',
          '/v1/resolution/freeze/approve',
        )) as ResolutionStatusJson;
        if (values.json) printJson(io, status);
        else io.stdout(renderStatus(status));
        return 0;
      }
      case 'recover': {
        const body = {
          customerId: requireOption(COMMAND, 'customer', values.customer),
          asset: requireOption(COMMAND, 'asset', values.asset),
          accountClass: requireOption(COMMAND, 'account-class', values['account-class']),
          amount: requireOption(COMMAND, 'amount', values.amount),
          reference: requireOption(COMMAND, 'reference', values.reference),
        };
        const distribution = (await requestJson(
          target(),
          'POST',
          '/v1/resolution/recoveries',
          body,
        )) as DistributionJson;
        if (values.json) printJson(io, distribution);
        else io.stdout(`recorded; the distribution is now:\n${renderDistribution(distribution)}`);
        return 0;
      }
      case 'distribution': {
        const distribution = (await requestJson(
          target(),
          'GET',
          '/v1/resolution/distribution',
        )) as DistributionJson;
        if (values.json) printJson(io, distribution);
        else io.stdout(renderDistribution(distribution));
        return 0;
      }
      case 'claims': {
        const customer = requireOption(COMMAND, 'customer', values.customer);
        const statement = (await requestJson(
          target(),
          'GET',
          `/v1/resolution/customers/${encodeURIComponent(customer)}`,
        )) as {
          pinnedSeq: number;
          customerId: string;
          estates: Record<string, string>[];
          unsecured: { asset: string; amount: string }[];
        };
        if (values.json) {
          printJson(io, statement);
          return 0;
        }
        io.stdout(
          `${statement.customerId} at journal seq ${statement.pinnedSeq}\n${renderTable(statement.estates, [
            { header: 'asset', cell: (line) => line.asset! },
            { header: 'class', cell: (line) => line.accountClass! },
            { header: 'net equity', cell: (line) => line.netEquity!, align: 'amount' },
            { header: 'claim', cell: (line) => line.claim!, align: 'amount' },
            { header: 'payout', cell: (line) => line.payout!, align: 'amount' },
            { header: 'unpaid', cell: (line) => line.unpaid!, align: 'amount' },
            { header: 'debt', cell: (line) => line.debt!, align: 'amount' },
            { header: 'outstanding', cell: (line) => line.outstanding!, align: 'amount' },
          ])}unsecured claims against the house estate: ${
            statement.unsecured.length === 0
              ? 'none'
              : statement.unsecured.map((claim) => `${claim.amount} ${claim.asset}`).join(', ')
          }\n`,
        );
        return 0;
      }
      case 'pack':
        return writePack(io, target(), {
          out: requireOption(COMMAND, 'out', values.out),
          simulated: values.simulated,
          progress: values.progress,
          json: values.json,
        });
      case 'simulate': {
        const scenario = requireOption(COMMAND, 'scenario', values.scenario);
        const body = scenarioBody(scenario);
        if (values.json) {
          printJson(
            io,
            (await requestJson(target(), 'POST', '/v1/resolution/simulations', body)) as ContagionReportJson,
          );
          return 0;
        }
        const table = await requestText(target(), 'POST', '/v1/resolution/simulations?format=text', {
          contentType: 'application/json',
          text: JSON.stringify(body),
        });
        io.stdout(
          `Contagion scenario ${'builtIn' in body ? body.builtIn : String((body as { name?: unknown }).name)}: customer recoveries, segregated (Ringfence) vs commingled\n\n${table}`,
        );
        return 0;
      }
      default:
        throw usageError(
          action === undefined
            ? 'missing action: resolution status|freeze|approve|recover|distribution|claims|pack|simulate'
            : `unknown action "resolution ${action}"`,
          COMMAND,
        );
    }
  },
};

/** A built-in scenario's name, or the contents of a scenario file. */
function scenarioBody(scenario: string): { builtIn: string } | Record<string, unknown> {
  if (Object.hasOwn(BUILT_IN_SCENARIOS, scenario)) return { builtIn: scenario };
  if (!existsSync(scenario)) {
    throw usageError(
      `--scenario is one of ${Object.keys(BUILT_IN_SCENARIOS).join(', ')} or a JSON file; no file ${scenario}`,
      COMMAND,
    );
  }
  try {
    return JSON.parse(readFileSync(scenario, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new CliError('scenario_file_invalid', `${scenario} is not JSON: ${(error as Error).message}`);
  }
}

/** Downloads the JSON pack, then renders the CSV and the report from it, writing all three into `out`. */
async function writePack(
  io: CliIo,
  target: ReturnType<typeof serverTarget>,
  options: {
    readonly out: string;
    readonly simulated: boolean;
    readonly progress: boolean;
    readonly json: boolean;
  },
): Promise<number> {
  const text = await requestText(
    target,
    'GET',
    `/v1/resolution/pack${queryString({ format: 'json', simulated: options.simulated ? 'true' : undefined })}`,
  );
  mkdirSync(options.out, { recursive: true });
  const files = {
    json: join(options.out, PACK_FILES.json),
    csv: join(options.out, PACK_FILES.csv),
    html: join(options.out, PACK_FILES.html),
  };
  writeChunks(files.json, [text]);
  const pack = JSON.parse(text) as ResolutionPackDocument;
  const bar = progressBar(io, { forced: options.progress });
  try {
    writePackFiles(pack, { csv: files.csv, html: files.html }, bar.listener);
  } finally {
    bar.finish();
  }
  if (options.json) {
    printJson(io, { files, pinnedSeq: pack.pinned.seq, simulated: pack.simulated, summary: pack.summary });
    return 0;
  }
  io.stdout(
    `Resolution pack at journal seq ${pack.pinned.seq}${pack.simulated ? ' (SIMULATED: no freeze)' : ''}\n${renderFields(
      [
        ['customers', `${pack.summary.customers} (${pack.summary.claimLines} positions)`],
        ['estates', `${pack.summary.estates}, ${pack.summary.estatesShort} short`],
        [
          'journal',
          pack.journal === null ? 'not verified' : pack.journal.verified ? 'verified' : 'NOT VERIFIED',
        ],
        ['json', files.json],
        ['csv', files.csv],
        ['report', files.html],
      ],
      '  ',
    )}`,
  );
  return 0;
}

/** Writes the chunks to `path` one after another (a pack of millions of lines is never one string). */
export function writeChunks(path: string, chunks: Iterable<string>): void {
  const descriptor = openSync(path, 'w');
  try {
    for (const chunk of chunks) writeSync(descriptor, chunk);
  } finally {
    closeSync(descriptor);
  }
}

function renderStatus(status: ResolutionStatusJson): string {
  const freeze = status.freeze;
  const fields: [string, string][] = [['status', status.status]];
  if (freeze !== null) {
    fields.push(
      ['reason', freeze.reason],
      ['requested by', `${freeze.requestedBy} at ${freeze.requestedAt}`],
      [
        'approved by',
        freeze.approvedBy === null
          ? '(awaiting a second officer)'
          : `${freeze.approvedBy} at ${freeze.approvedAt}`,
      ],
    );
    if (freeze.pinned !== null) {
      fields.push(
        ['pinned at', `journal seq ${freeze.pinned.seq}, head ${freeze.pinned.headHash.slice(0, 16)}...`],
        [
          'shortfalls',
          freeze.pinned.shortfalls.length === 0
            ? 'none'
            : freeze.pinned.shortfalls.map((s) => `${s.amount} ${s.asset} / ${s.accountClass}`).join(', '),
        ],
      );
    }
  }
  fields.push(['recoveries', String(status.recoveries)]);
  return renderFields(fields);
}

function renderDistribution(distribution: DistributionJson): string {
  return `Distribution at journal seq ${distribution.pinnedSeq}${distribution.simulated ? ' (simulated)' : ''}\n${renderTable(
    distribution.estates,
    [
      { header: 'asset', cell: (estate: PackEstate) => estate.asset },
      { header: 'class', cell: (estate) => estate.accountClass },
      { header: 'property', cell: (estate) => estate.property, align: 'amount' },
      { header: 'claims', cell: (estate) => estate.totalClaims, align: 'amount' },
      { header: 'distributed', cell: (estate) => estate.distributed, align: 'amount' },
      { header: 'shortfall', cell: (estate) => estate.shortfall, align: 'amount' },
      { header: 'ratio', cell: (estate) => estate.ratio },
      { header: 'paid %', cell: (estate) => estate.paidPercent, align: 'right' },
      { header: 'claimants', cell: (estate) => String(estate.claimants), align: 'right' },
      { header: 'debtors', cell: (estate) => String(estate.debtors), align: 'right' },
    ],
  )}`;
}

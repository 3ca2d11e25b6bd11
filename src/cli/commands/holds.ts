// `ringfence holds`: holds (pending transfers) and what became of them.

import { type HoldView, toHoldView } from '../../service/ledger-views.ts';
import { parseCommandArgs, rejectPositionals } from '../args.ts';
import { usageError } from '../cli-error.ts';
import type { CliCommand } from '../command.ts';
import { withReadOnlyLedger } from '../database.ts';
import { queryString, requestJson } from '../http-client.ts';
import { printJson, renderTable } from '../output.ts';
import { READ_SOURCE_HELP, READ_SOURCE_OPTIONS, readSource } from '../read-source.ts';

const OPTIONS = { ...READ_SOURCE_OPTIONS, status: { type: 'string' } } as const;

export const holdsCommand: CliCommand = {
  name: 'holds',
  summary: 'List holds (pending transfers)',
  help: `Usage: ringfence holds [--status pending] [--url <url> --key <secret> | --db <db>] [--json]

Lists holds: transfers that reserve an amount until they are posted, voided or expire. Withdrawals are
held while custody signs the on-chain payment.

Options:
  --status <s>    pending (default)
${READ_SOURCE_HELP}
  --json          Print {"holds":[...]} as the API returns it
  -h, --help      Show this help
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('holds', args, OPTIONS);
    if (values.help) {
      io.stdout(holdsCommand.help);
      return 0;
    }
    rejectPositionals('holds', positionals);
    const status = values.status ?? 'pending';
    if (status !== 'pending') throw usageError(`--status supports only "pending", got "${status}"`, 'holds');
    const source = readSource('holds', io, values);
    let holds: readonly HoldView[];
    if (source.type === 'database') {
      holds = await withReadOnlyLedger(source.db, (service) =>
        service.read((engine) => engine.listPendingHolds().map((hold) => toHoldView(engine, hold))),
      );
    } else {
      holds = (
        (await requestJson(source.target, 'GET', `/v1/holds${queryString({ status })}`)) as {
          holds: HoldView[];
        }
      ).holds;
    }
    if (values.json) {
      printJson(io, { holds });
      return 0;
    }
    io.stdout(
      renderTable(holds, [
        { header: 'HOLD', cell: (hold) => hold.id },
        { header: 'KIND', cell: (hold) => hold.kind },
        { header: 'DEBIT', cell: (hold) => hold.debit },
        { header: 'CREDIT', cell: (hold) => hold.credit },
        { header: 'AMOUNT', cell: (hold) => `${hold.amount} ${hold.asset}`, align: 'right' },
        { header: 'EXPIRES', cell: (hold) => hold.expiresAt },
        { header: 'STATUS', cell: (hold) => hold.status },
      ]),
    );
    return 0;
  },
};

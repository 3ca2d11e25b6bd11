// `ringfence balances`: account balances, optionally for one customer or asset and as of a journal seq.

import { type AccountView, matchesAccountFilter, toAccountViews } from '../../service/ledger-views.ts';
import { parseCommandArgs, parseSeq, rejectPositionals } from '../args.ts';
import { CliError } from '../cli-error.ts';
import type { CliCommand } from '../command.ts';
import { withReadOnlyLedger } from '../database.ts';
import { queryString, requestJson } from '../http-client.ts';
import { printJson, renderTable } from '../output.ts';
import { READ_SOURCE_HELP, READ_SOURCE_OPTIONS, readSource } from '../read-source.ts';

const OPTIONS = {
  ...READ_SOURCE_OPTIONS,
  customer: { type: 'string' },
  asset: { type: 'string' },
  'as-of': { type: 'string' },
} as const;

/** What `balances --json` prints: the journal position read and the matching accounts. */
export interface BalancesResult {
  readonly asOfSeq: number;
  readonly accounts: readonly AccountView[];
}

export const balancesCommand: CliCommand = {
  name: 'balances',
  summary: 'Account balances (by customer, asset, as of a journal seq)',
  help: `Usage: ringfence balances [--customer <id>] [--asset <code>] [--as-of <seq>] [--url <url> --key <secret> | --db <db>] [--json]

Lists balances: the posted balance on each account's normal side and the available balance (posted less
pending outflows). --as-of rebuilds the balances at a past journal position by replaying the journal.

Options:
  --customer <id>   Only this customer's accounts (a customer key always sees only its own)
  --asset <code>    Only accounts in this asset
  --as-of <seq>     Balances as of this journal seq (default: the head)
${READ_SOURCE_HELP}
  --json            Print {"asOfSeq","accounts":[...]} as the API returns it
  -h, --help        Show this help
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('balances', args, OPTIONS);
    if (values.help) {
      io.stdout(balancesCommand.help);
      return 0;
    }
    rejectPositionals('balances', positionals);
    const asOf = values['as-of'] === undefined ? undefined : parseSeq('balances', 'as-of', values['as-of']);
    const filter = { customerId: values.customer, asset: values.asset };
    const source = readSource('balances', io, values);
    let result: BalancesResult;
    if (source.type === 'database') {
      result = await withReadOnlyLedger(source.db, async (service) => {
        const head = await service.read((engine) => engine.headSeq);
        if (asOf !== undefined && asOf > head) {
          throw new CliError('as_of_beyond_head', `the journal ends at seq ${head}`, {
            asOfSeq: asOf,
            headSeq: head,
          });
        }
        const accounts =
          asOf === undefined
            ? await service.read((engine) => engine.listAccounts())
            : await service.accountsAsOf(asOf);
        const views = await service.read((engine) =>
          toAccountViews(
            engine,
            accounts.filter((account) => matchesAccountFilter(account, filter)),
          ),
        );
        return { asOfSeq: asOf ?? head, accounts: views };
      });
    } else {
      const query = queryString({ customerId: filter.customerId, asset: filter.asset, asOf });
      result = (await requestJson(source.target, 'GET', `/v1/balances${query}`)) as BalancesResult;
    }
    if (values.json) {
      printJson(io, result);
      return 0;
    }
    io.stdout(`Balances as of journal seq ${result.asOfSeq}\n`);
    io.stdout(
      renderTable(result.accounts, [
        { header: 'ACCOUNT', cell: (account) => account.id },
        { header: 'CLASS', cell: (account) => account.segregationClass },
        { header: 'ASSET', cell: (account) => account.asset },
        { header: 'BALANCE', cell: (account) => account.balances.balance, align: 'amount' },
        { header: 'AVAILABLE', cell: (account) => account.balances.available, align: 'amount' },
      ]),
    );
    return 0;
  },
};

// `ringfence accounts`: every account with its owner, segregation class, account class and balance.

import { type AccountView, matchesAccountFilter, toAccountViews } from '../../service/ledger-views.ts';
import { parseCommandArgs, rejectPositionals } from '../args.ts';
import type { CliCommand } from '../command.ts';
import { withReadOnlyLedger } from '../database.ts';
import { queryString, requestJson } from '../http-client.ts';
import { printJson, renderTable } from '../output.ts';
import { READ_SOURCE_HELP, READ_SOURCE_OPTIONS, readSource } from '../read-source.ts';

const OPTIONS = { ...READ_SOURCE_OPTIONS, customer: { type: 'string' }, asset: { type: 'string' } } as const;

export const accountsCommand: CliCommand = {
  name: 'accounts',
  summary: 'List accounts with owner, classes and balance',
  help: `Usage: ringfence accounts [--customer <id>] [--asset <code>] [--url <url> --key <secret> | --db <db>] [--json]

Lists accounts in creation order: owner, segregation class (customer_collateral, segregated_custody,
residual_interest, house_*, insurance_*), customer account class and posted balance.

Options:
  --customer <id>   Only this customer's accounts
  --asset <code>    Only accounts in this asset
${READ_SOURCE_HELP}
  --json            Print {"accounts":[...]} as the API returns it
  -h, --help        Show this help
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('accounts', args, OPTIONS);
    if (values.help) {
      io.stdout(accountsCommand.help);
      return 0;
    }
    rejectPositionals('accounts', positionals);
    const filter = { customerId: values.customer, asset: values.asset };
    const source = readSource('accounts', io, values);
    let accounts: readonly AccountView[];
    if (source.type === 'database') {
      accounts = await withReadOnlyLedger(source.db, (service) =>
        service.read((engine) =>
          toAccountViews(
            engine,
            engine.listAccounts().filter((account) => matchesAccountFilter(account, filter)),
          ),
        ),
      );
    } else {
      const query = queryString({ customerId: filter.customerId, asset: filter.asset });
      accounts = (
        (await requestJson(source.target, 'GET', `/v1/accounts${query}`)) as { accounts: AccountView[] }
      ).accounts;
    }
    if (values.json) {
      printJson(io, { accounts });
      return 0;
    }
    io.stdout(
      renderTable(accounts, [
        { header: 'ACCOUNT', cell: (account) => account.id },
        {
          header: 'OWNER',
          cell: (account) => (account.owner.type === 'customer' ? account.owner.customerId : 'house'),
        },
        { header: 'SEGREGATION CLASS', cell: (account) => account.segregationClass },
        { header: 'ACCOUNT CLASS', cell: (account) => account.accountClass ?? '-' },
        { header: 'ASSET', cell: (account) => account.asset },
        { header: 'BALANCE', cell: (account) => account.balances.balance, align: 'amount' },
      ]),
    );
    return 0;
  },
};

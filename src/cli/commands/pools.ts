// `ringfence pools`: per pool, custody held against claims; for customer pools, the coverage of
// customer claims (segregated custody must never fall below them).

import { type PoolView, toPoolViews } from '../../service/ledger-views.ts';
import { parseCommandArgs, rejectPositionals } from '../args.ts';
import type { CliCommand } from '../command.ts';
import { withReadOnlyLedger } from '../database.ts';
import { requestJson } from '../http-client.ts';
import { printJson, renderTable } from '../output.ts';
import { READ_SOURCE_HELP, READ_SOURCE_OPTIONS, readSource } from '../read-source.ts';

export const poolsCommand: CliCommand = {
  name: 'pools',
  summary: 'Pool totals: custody, claims and customer coverage',
  help: `Usage: ringfence pools [--url <url> --key <secret> | --db <db>] [--json]

Shows every pool: one customer pool per asset and account class (segregated custody against customer
claims and residual interest), one house pool and one insurance pool per asset. In each, custody equals
claims. In customer pools, CUSTOMER CLAIMS sums the positive customer balances (a deficit is never
netted against another customer's credit) and EXCESS, available custody less those claims, must never
be negative.

Options:
${READ_SOURCE_HELP}
  --json          Print {"pools":[...]} as the API returns it
  -h, --help      Show this help
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('pools', args, READ_SOURCE_OPTIONS);
    if (values.help) {
      io.stdout(poolsCommand.help);
      return 0;
    }
    rejectPositionals('pools', positionals);
    const source = readSource('pools', io, values);
    let pools: readonly PoolView[];
    if (source.type === 'database') {
      pools = await withReadOnlyLedger(source.db, (service) => service.read(toPoolViews));
    } else {
      pools = ((await requestJson(source.target, 'GET', '/v1/pools')) as { pools: PoolView[] }).pools;
    }
    if (values.json) {
      printJson(io, { pools });
      return 0;
    }
    io.stdout(
      renderTable(pools, [
        { header: 'POOL', cell: (pool) => pool.pool },
        { header: 'ASSET', cell: (pool) => pool.asset },
        { header: 'ACCOUNT CLASS', cell: (pool) => pool.accountClass ?? '-' },
        { header: 'CUSTODY', cell: (pool) => pool.custody, align: 'amount' },
        { header: 'CLAIMS', cell: (pool) => pool.claims, align: 'amount' },
        { header: 'CUSTOMER CLAIMS', cell: (pool) => pool.customerClaimsPositive ?? '-', align: 'amount' },
        { header: 'RESIDUAL INTEREST', cell: (pool) => pool.residualInterest ?? '-', align: 'amount' },
        { header: 'EXCESS', cell: (pool) => pool.excess ?? '-', align: 'amount' },
      ]),
    );
    return 0;
  },
};

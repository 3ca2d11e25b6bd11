// `ringfence custody plan`: the hot-wallet cap of a running server — per asset, customer coins in hot and
// cold customer vaults against customer liabilities, and the moves that bring hot within [floor, cap].

import { parseCommandArgs } from '../args.ts';
import { usageError } from '../cli-error.ts';
import type { CliCommand } from '../command.ts';
import { queryString, requestJson, SERVER_OPTIONS, serverTarget } from '../http-client.ts';
import { printJson, renderTable } from '../output.ts';

const OPTIONS = {
  ...SERVER_OPTIONS,
  'cap-bps': { type: 'string' },
  'floor-bps': { type: 'string' },
} as const;

/** The body of GET /v1/custody/hot-wallet-plan. */
interface HotWalletPlan {
  readonly asOfSeq: number;
  readonly capBps: number;
  readonly floorBps: number;
  readonly positions: readonly {
    asset: string;
    customerLiabilities: string;
    hot: string;
    cold: string;
    cap: string;
    floor: string;
  }[];
  readonly instructions: readonly {
    asset: string;
    direction: 'hot_to_cold' | 'cold_to_hot';
    amount: string;
    hotAfter: string;
  }[];
}

export const custodyCommand: CliCommand = {
  name: 'custody',
  summary: 'Show the hot-wallet cap and the rebalance plan',
  help: `Usage: ringfence custody plan [--cap-bps <bps>] [--floor-bps <bps>] [--url <url>] [--key <secret>] [--json]

GET /v1/custody/hot-wallet-plan (operator and auditor keys). Per asset: customer liabilities (positive
customer claims), the customer coins the ledger records in hot and in cold customer vaults, the cap and
the floor; then the instructions: hot -> cold when hot is above the cap, cold -> hot (up to the cap) when
it is below the floor. Amounts are rounded down.

Options:
  --cap-bps <bps>     Hot cap in basis points of liabilities (default 200 = 2%)
  --floor-bps <bps>   Top-up floor in basis points (default 50 = 0.5%)
  --url <url>         Server (default $RINGFENCE_URL or http://127.0.0.1:8080)
  --key <secret>      API key (default $RINGFENCE_KEY)
  --json              Print the server's response (or its {"error"})
  -h, --help          Show this help
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('custody', args, OPTIONS);
    if (values.help) {
      io.stdout(custodyCommand.help);
      return 0;
    }
    const [action, ...rest] = positionals;
    if (action !== 'plan') {
      throw usageError(
        action === undefined ? 'missing action: custody plan' : `unknown action "custody ${action}"`,
        'custody',
      );
    }
    if (rest.length > 0) throw usageError(`unexpected argument "${rest[0]}"`, 'custody');
    const target = serverTarget('custody', io, values);
    const query = queryString({ capBps: values['cap-bps'], floorBps: values['floor-bps'] });
    const plan = (await requestJson(target, 'GET', `/v1/custody/hot-wallet-plan${query}`)) as HotWalletPlan;
    if (values.json) {
      printJson(io, plan);
      return 0;
    }
    io.stdout(
      `Hot-wallet plan as of journal seq ${plan.asOfSeq}: cap ${plan.capBps} bps, floor ${plan.floorBps} bps\n`,
    );
    io.stdout(
      renderTable(plan.positions, [
        { header: 'ASSET', cell: (row) => row.asset },
        { header: 'LIABILITIES', cell: (row) => row.customerLiabilities, align: 'amount' },
        { header: 'HOT', cell: (row) => row.hot, align: 'amount' },
        { header: 'COLD', cell: (row) => row.cold, align: 'amount' },
        { header: 'CAP', cell: (row) => row.cap, align: 'amount' },
        { header: 'FLOOR', cell: (row) => row.floor, align: 'amount' },
      ]),
    );
    io.stdout('\nInstructions:\n');
    io.stdout(
      renderTable(
        plan.instructions,
        [
          { header: 'ASSET', cell: (row) => row.asset },
          { header: 'MOVE', cell: (row) => row.direction.replaceAll('_', ' ') },
          { header: 'AMOUNT', cell: (row) => row.amount, align: 'amount' },
          { header: 'HOT AFTER', cell: (row) => row.hotAfter, align: 'amount' },
        ],
        '(none: every asset is within its floor and cap)',
      ),
    );
    return 0;
  },
};

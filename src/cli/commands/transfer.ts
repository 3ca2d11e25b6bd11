// `ringfence transfer`: submits one multi-leg transfer to a running server; a refusal prints its
// rejection code (segregation_*, amount_*, ...) and exits 1.

import { randomBytes } from 'node:crypto';
import { TRANSFER_KINDS } from '../../core/ledger/classes.ts';
import { parseCommandArgs, rejectPositionals, requireOption } from '../args.ts';
import { usageError } from '../cli-error.ts';
import type { CliCommand } from '../command.ts';
import { requestJson, SERVER_OPTIONS, serverTarget } from '../http-client.ts';
import { printJson, renderFields, renderTable } from '../output.ts';

const OPTIONS = {
  ...SERVER_OPTIONS,
  kind: { type: 'string' },
  reference: { type: 'string' },
  'instructed-by': { type: 'string' },
  leg: { type: 'string', multiple: true },
  id: { type: 'string' },
} as const;

/** One leg as the API takes it: the amount stays a decimal string, the server parses it at the asset's scale. */
export interface LegRequest {
  readonly debit: string;
  readonly credit: string;
  readonly asset: string;
  readonly amount: string;
}

/** Parses `debit,credit,asset,amount`. */
export function parseLeg(text: string): LegRequest {
  const parts = text.split(',').map((part) => part.trim());
  const [debit, credit, asset, amount] = parts;
  if (
    parts.length !== 4 ||
    parts.some((part) => part.length === 0) ||
    debit === undefined ||
    credit === undefined ||
    asset === undefined ||
    amount === undefined
  ) {
    throw usageError(`--leg takes <debit>,<credit>,<asset>,<amount>, got "${text}"`, 'transfer');
  }
  return { debit, credit, asset, amount };
}

export const transferCommand: CliCommand = {
  name: 'transfer',
  summary: 'Submit a multi-leg transfer to a running server',
  help: `Usage: ringfence transfer --kind <kind> --reference <basis> [--instructed-by <customer>]
                          --leg <debit>,<credit>,<asset>,<amount> [--leg ...] [--id <id>]
                          [--url <url>] [--key <secret>] [--json]

Submits one transfer; all legs post together or none do. The ledger checks every leg against the
segregation rule matrix of the kind and refuses with a rejection code (exit 1) when a rule is broken,
e.g. segregation_customer_to_house_forbidden for a house transfer out of a customer account.

Kinds: ${TRANSFER_KINDS.join(', ')}

Options:
  --kind <kind>            What the transfer is for (decides which account classes its legs may pair)
  --reference <basis>      Its basis: fill id, fee schedule, instruction id, tx hash, reversed transfer id
  --instructed-by <id>     The customer whose own instruction this is (withdrawal, internal_transfer)
  --leg <d>,<c>,<a>,<amt>  Debit account, credit account, asset, decimal amount (repeatable)
  --id <id>                Idempotency id, 32 hex digits or a UUID (default: random); resubmitting the
                           same id with the same content is safe and answers the original result
  --url <url>              Server (default $RINGFENCE_URL or http://127.0.0.1:8080)
  --key <secret>           API key (default $RINGFENCE_KEY)
  --json                   Print the server's response (or its {"error"})
  -h, --help               Show this help

Example:
  ringfence transfer --kind trade_settlement --reference fill-9001 \\
    --leg cust-001:derivatives:USDC,cust-002:derivatives:USDC,USDC,125.50
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('transfer', args, OPTIONS);
    if (values.help) {
      io.stdout(transferCommand.help);
      return 0;
    }
    rejectPositionals('transfer', positionals);
    const kind = requireOption('transfer', 'kind', values.kind);
    if (!(TRANSFER_KINDS as readonly string[]).includes(kind))
      throw usageError(`unknown --kind "${kind}"`, 'transfer');
    const reference = requireOption('transfer', 'reference', values.reference);
    const legs = (values.leg ?? []).map(parseLeg);
    if (legs.length === 0) throw usageError('at least one --leg is required', 'transfer');
    const id = values.id ?? randomBytes(16).toString('hex');
    const target = serverTarget('transfer', io, values);
    const body = {
      id,
      kind,
      reference,
      ...(values['instructed-by'] === undefined ? {} : { instructedBy: values['instructed-by'] }),
      legs,
    };
    const response = (await requestJson(target, 'POST', '/v1/transfers', body)) as {
      seq?: number;
      duplicate?: boolean;
    };
    if (values.json) {
      printJson(io, response);
      return 0;
    }
    io.stdout(`${response.duplicate === true ? 'already accepted' : 'accepted'}: transfer ${id}\n`);
    io.stdout(
      renderFields([
        ['kind', kind],
        ['reference', reference],
        ['journal seq', String(response.seq ?? '?')],
      ]),
    );
    io.stdout(
      renderTable(legs, [
        { header: 'DEBIT', cell: (leg) => leg.debit },
        { header: 'CREDIT', cell: (leg) => leg.credit },
        { header: 'AMOUNT', cell: (leg) => leg.amount, align: 'amount' },
        { header: 'ASSET', cell: (leg) => leg.asset },
      ]),
    );
    return 0;
  },
};

// `ringfence withdrawals`: a running server's withdrawal requests — list, show one (decision and why,
// approvals, what is missing, the digest to sign, the execution), request, approve with signatures,
// execute and cancel. Every refusal prints its code (policy_*, signature_*, quorum_not_reached, ...).

import { randomBytes } from 'node:crypto';
import type { WithdrawalJson } from '../../api/withdrawal-schema.ts';
import { parseCommandArgs } from '../args.ts';
import { usageError } from '../cli-error.ts';
import type { CliCommand, CliIo } from '../command.ts';
import { queryString, requestJson, SERVER_OPTIONS, type ServerTarget, serverTarget } from '../http-client.ts';
import { printJson, renderFields, renderTable } from '../output.ts';

const OPTIONS = {
  ...SERVER_OPTIONS,
  state: { type: 'string' },
  customer: { type: 'string' },
  vault: { type: 'string' },
  asset: { type: 'string' },
  amount: { type: 'string' },
  destination: { type: 'string' },
  'expires-at': { type: 'string' },
  'expires-in': { type: 'string' },
  nonce: { type: 'string' },
  'request-id': { type: 'string' },
  signature: { type: 'string', multiple: true },
} as const;

const ACTIONS = ['list', 'show', 'request', 'approve', 'execute', 'cancel'] as const;
type Action = (typeof ACTIONS)[number];

/** How long a request made without --expires-at or --expires-in stays valid. */
const EXPIRES_IN_SECONDS_DEFAULT = 3_600;

/** What the withdrawal write routes answer. */
interface WithdrawalResult {
  readonly withdrawal: WithdrawalJson;
  readonly duplicate: boolean;
}

export const withdrawalsCommand: CliCommand = {
  name: 'withdrawals',
  summary: 'List, show, request, approve, execute and cancel custody withdrawals',
  help: `Usage: ringfence withdrawals list [--state <state>] [--customer <id>] [--vault <id>]
       ringfence withdrawals show <requestId>
       ringfence withdrawals request --vault <id> --asset <code> --amount <decimal> --destination <0x...>
                                     [--customer <id>] [--expires-at <iso> | --expires-in <seconds>]
                                     [--nonce <n>] [--request-id <0x + 64 hex>]
       ringfence withdrawals approve <requestId> --signature <0x...> [--signature ...]
       ringfence withdrawals execute <requestId>
       ringfence withdrawals cancel <requestId>
       (each also takes [--url <url>] [--key <secret>] [--json])

A withdrawal is a customer's instruction: the ledger holds the amount, the vault's policy decides (and
says which rule matched and why), approvers sign the request's digest, and once quorum is reached the
operator executes it through the vault's Safe (platform + trustee signatures); the hold is then posted.

list      GET /v1/withdrawals: requests, oldest first (customer keys see their own)
show      GET /v1/withdrawals/<id>: state, decision, approvals, missing approvals, digest, execution, history
request   POST /v1/withdrawals (customer keys for themselves; operator keys name --customer)
approve   POST /v1/withdrawals/<id>/approvals: 65-byte signatures over the digest "show" prints
execute   POST /v1/withdrawals/<id>/execute (operator)
cancel    POST /v1/withdrawals/<id>/cancel (operator, or the requesting customer)

Options:
  --state <state>          list: requested, awaiting_approvals, rejected, approved, executing, executed,
                           failed, cancelled, expired
  --customer <id>          list: filter; request: the customer (operator keys)
  --vault <id>             list: filter; request: the vault to withdraw from
  --asset <code>           request: the ledger asset
  --amount <decimal>       request: the amount, a decimal at the asset's scale
  --destination <0x...>    request: where the coins go (must be allowlisted under most policies)
  --expires-at <iso>       request: expiry, ISO-8601 with an offset (default: in ${EXPIRES_IN_SECONDS_DEFAULT} s)
  --expires-in <seconds>   request: expiry relative to now
  --nonce <n>              request: the vault's next withdrawal nonce you expect (default: take it)
  --request-id <id>        request: 0x and 64 hex digits, the idempotency key (default: random)
  --signature <0x...>      approve: a signature (repeatable)
  --url <url>              Server (default $RINGFENCE_URL or http://127.0.0.1:8080)
  --key <secret>           API key (default $RINGFENCE_KEY)
  --json                   Print the server's response (or its {"error"})
  -h, --help               Show this help
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('withdrawals', args, OPTIONS);
    if (values.help) {
      io.stdout(withdrawalsCommand.help);
      return 0;
    }
    const [actionText, ...rest] = positionals;
    if (actionText === undefined || !(ACTIONS as readonly string[]).includes(actionText)) {
      throw usageError(
        actionText === undefined
          ? `missing action: withdrawals ${ACTIONS.join('|')}`
          : `unknown action "withdrawals ${actionText}"`,
        'withdrawals',
      );
    }
    const action = actionText as Action;
    const takesId = action !== 'list' && action !== 'request';
    if (takesId && rest.length === 0)
      throw usageError(`withdrawals ${action} needs a request id`, 'withdrawals');
    if (rest.length > (takesId ? 1 : 0)) {
      throw usageError(`unexpected argument "${rest[takesId ? 1 : 0]}"`, 'withdrawals');
    }
    const target = serverTarget('withdrawals', io, values);
    const id = rest[0] ?? '';
    const path = `/v1/withdrawals/${encodeURIComponent(id)}`;
    switch (action) {
      case 'list': {
        const query = queryString({
          state: values.state,
          customerId: values.customer,
          vaultId: values.vault,
        });
        const response = (await requestJson(target, 'GET', `/v1/withdrawals${query}`)) as {
          withdrawals: WithdrawalJson[];
        };
        if (values.json) printJson(io, response);
        else printList(io, response.withdrawals);
        return 0;
      }
      case 'show': {
        const withdrawal = (await requestJson(target, 'GET', path)) as WithdrawalJson;
        if (values.json) printJson(io, withdrawal);
        else printWithdrawal(io, withdrawal);
        return 0;
      }
      case 'request':
        return printResult(io, values.json, await submitRequest(target, values));
      case 'approve': {
        const signatures = values.signature ?? [];
        if (signatures.length === 0) throw usageError('at least one --signature is required', 'withdrawals');
        const result = await requestJson(target, 'POST', `${path}/approvals`, { signatures });
        return printResult(io, values.json, result as WithdrawalResult);
      }
      case 'execute':
        return printResult(
          io,
          values.json,
          (await requestJson(target, 'POST', `${path}/execute`)) as WithdrawalResult,
        );
      case 'cancel':
        return printResult(
          io,
          values.json,
          (await requestJson(target, 'POST', `${path}/cancel`)) as WithdrawalResult,
        );
    }
  },
};

type Values = ReturnType<typeof parseCommandArgs<typeof OPTIONS>>['values'];

async function submitRequest(target: ServerTarget, values: Values): Promise<WithdrawalResult> {
  const required = (name: 'vault' | 'asset' | 'amount' | 'destination') => {
    const value = values[name];
    if (value === undefined || value.length === 0) throw usageError(`--${name} is required`, 'withdrawals');
    return value;
  };
  if (values['expires-at'] !== undefined && values['expires-in'] !== undefined) {
    throw usageError('give --expires-at or --expires-in, not both', 'withdrawals');
  }
  let expiresAt = values['expires-at'];
  if (expiresAt === undefined) {
    const text = values['expires-in'] ?? String(EXPIRES_IN_SECONDS_DEFAULT);
    if (!/^[1-9][0-9]{0,8}$/.test(text)) {
      throw usageError(`--expires-in takes whole seconds, got "${text}"`, 'withdrawals');
    }
    expiresAt = new Date(Date.now() + Number(text) * 1000).toISOString();
  }
  const body = {
    requestId: values['request-id'] ?? `0x${randomBytes(32).toString('hex')}`,
    ...(values.customer === undefined ? {} : { customerId: values.customer }),
    vaultId: required('vault'),
    asset: required('asset'),
    amount: required('amount'),
    destination: required('destination'),
    expiresAt,
    ...(values.nonce === undefined ? {} : { nonce: values.nonce }),
  };
  return (await requestJson(target, 'POST', '/v1/withdrawals', body)) as WithdrawalResult;
}

function printResult(io: CliIo, json: boolean, result: WithdrawalResult): number {
  if (json) {
    printJson(io, result);
    return 0;
  }
  if (result.duplicate) io.stdout('(already done: nothing new happened)\n');
  printWithdrawal(io, result.withdrawal);
  return 0;
}

function printList(io: CliIo, withdrawals: readonly WithdrawalJson[]): void {
  io.stdout(
    renderTable(withdrawals, [
      { header: 'REQUEST', cell: (view) => view.requestId },
      { header: 'CUSTOMER', cell: (view) => view.customerId ?? '-' },
      { header: 'VAULT', cell: (view) => view.vaultId },
      { header: 'AMOUNT', cell: (view) => `${view.amount} ${view.asset}`, align: 'right' },
      { header: 'STATE', cell: (view) => view.state },
      { header: 'DESTINATION', cell: (view) => view.destination },
    ]),
  );
}

/** Prints one withdrawal as `label: value` lines, then its approvals and history. */
export function printWithdrawal(io: CliIo, view: WithdrawalJson): void {
  const decision = view.decision;
  const fields: [string, string][] = [
    ['request', view.requestId],
    ['state', view.state],
    ['customer', view.customerId ?? '-'],
    ['vault', `${view.vaultId} (${view.vault}, chain ${view.chainId})`],
    ['amount', `${view.amount} ${view.asset}`],
    ['destination', view.destination],
    ['nonce', view.nonce],
    ['expires at', view.expiresAt],
    ['hold', view.holdId],
    ['digest to sign', view.digest],
  ];
  if (decision !== null) {
    const rule = decision.explanation.matchedRule;
    fields.push(
      ['decision', `${decision.outcome}${decision.code === null ? '' : ` (${decision.code})`}`],
      ['matched rule', rule === null ? 'none' : `${rule.index} ${rule.id}: ${rule.description}`],
      ['reason', decision.explanation.reason],
    );
    if (decision.executableAt !== null) fields.push(['executable from', decision.executableAt]);
  }
  const missing = view.missingApprovals.map((group) => `${group.missing} from ${group.groupId}`).join(', ');
  fields.push(['missing approvals', missing.length === 0 ? 'none' : missing]);
  if (view.execution !== null) {
    fields.push(
      ['safe tx hash', view.execution.safeTxHash],
      ['tx hash', view.execution.transactionHash ?? '-'],
    );
  }
  if (view.failure !== null) fields.push(['failure', `${view.failure.code}: ${view.failure.reason}`]);
  if (view.cancelledBy !== null) fields.push(['cancelled by', view.cancelledBy]);
  io.stdout(renderFields(fields));
  if (view.approvals.length > 0) {
    io.stdout('\nApprovals:\n');
    io.stdout(
      renderTable(view.approvals, [
        { header: 'SIGNER', cell: (approval) => approval.signer },
        { header: 'ROLE', cell: (approval) => approval.role ?? '-' },
        { header: 'LABEL', cell: (approval) => approval.label ?? '-' },
      ]),
    );
  }
  io.stdout('\nHistory:\n');
  io.stdout(
    renderTable(view.history, [
      { header: 'STATE', cell: (step) => step.state },
      { header: 'SEQ', cell: (step) => String(step.seq), align: 'right' },
      { header: 'AT', cell: (step) => step.at },
    ]),
  );
}

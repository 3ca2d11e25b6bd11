// `ringfence keys create`: stores a new API key in the database and prints its secret, once.

import { API_KEY_ROLES, createApiKey } from '../../service/api-keys.ts';
import { LedgerService } from '../../service/ledger-service.ts';
import { openStore } from '../../store/open-store.ts';
import type { ApiKeyRole } from '../../store/store.ts';
import { parseCommandArgs, requireOption } from '../args.ts';
import { CliError, usageError } from '../cli-error.ts';
import type { CliCommand } from '../command.ts';
import { printJson, renderFields } from '../output.ts';

const OPTIONS = {
  role: { type: 'string' },
  customer: { type: 'string' },
  db: { type: 'string' },
} as const;

export const keysCommand: CliCommand = {
  name: 'keys',
  summary: 'Create API keys (operator, customer, auditor or officer)',
  help: `Usage: ringfence keys create --role <operator|customer|auditor|officer> [--customer <id>] --db <db> [--json]

Creates an API key, stores only its SHA-256 hash and prints the secret once: keep it, it cannot be shown
again. Works while a server runs on the same database.

Roles:
  operator   every route: registry, transfers, holds, keys' owners' affairs
  auditor    read-only: balances, pools, journal, verify
  customer   one customer's own accounts and instructions (needs --customer)
  officer    approves residual-interest withdrawals (two officers each) and sets targets; also computes and
             finalises segregation statements and resolves breaks; no other write access

Options:
  --role <role>     operator, customer, auditor or officer
  --customer <id>   The customer a customer key speaks for (must exist)
  --db <db>         SQLite file or postgres:// URL of the ledger
  --json            Print {"id","role","customerId","secret"}
  -h, --help        Show this help
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('keys', args, OPTIONS);
    if (values.help) {
      io.stdout(keysCommand.help);
      return 0;
    }
    const [action, ...rest] = positionals;
    if (action !== 'create')
      throw usageError(
        action === undefined ? 'missing action: keys create' : `unknown action "keys ${action}"`,
        'keys',
      );
    if (rest.length > 0) throw usageError(`unexpected argument "${rest[0]}"`, 'keys');
    const role = requireOption('keys', 'role', values.role);
    if (!(API_KEY_ROLES as readonly string[]).includes(role))
      throw usageError(`--role must be one of ${API_KEY_ROLES.join(', ')}`, 'keys');
    const customerId = values.customer ?? null;
    if ((role === 'customer') !== (customerId !== null)) {
      throw usageError(
        role === 'customer' ? 'a customer key needs --customer <id>' : `an ${role} key takes no --customer`,
        'keys',
      );
    }
    const db = requireOption('keys', 'db', values.db);
    const store = await openStore(db);
    try {
      if (customerId !== null) {
        // Replays the journal to learn the customers; it only reads, so a running server is undisturbed.
        const service = await LedgerService.open(store);
        if (!(await service.read((engine) => engine.hasCustomer(customerId)))) {
          throw new CliError('customer_not_found', `customer ${customerId} does not exist`, { customerId });
        }
      }
      const created = await createApiKey(store, role as ApiKeyRole, customerId);
      const { id } = created.record;
      if (values.json) {
        printJson(io, { id, role, customerId, secret: created.secret });
      } else {
        io.stdout(
          renderFields([
            ['key id', id],
            ['role', customerId === null ? role : `${role} (${customerId})`],
            ['secret', created.secret],
          ]),
        );
        io.stdout(
          'Keep the secret now: only its hash is stored. Send it as "Authorization: Bearer <secret>".\n',
        );
      }
      return 0;
    } finally {
      await store.close();
    }
  },
};

// Proves `ringfence keys create` as a user runs it: the printed secret authenticates with its role (and
// customer), officer keys included, a customer key for an unknown customer is refused as customer_not_found,
// and bad roles are usage errors.

import { describe, expect, it } from 'vitest';
import { authenticateApiKey } from '../../src/service/api-keys.ts';
import { STORE_KINDS } from '../support/stores.ts';
import { runCli } from './cli-process.ts';
import { seedDatabase } from './seeded-database.ts';

describe.each(STORE_KINDS)('ringfence keys create on %s', (kind) => {
  it('prints secrets that authenticate with their role and customer', async () => {
    const seeded = await seedDatabase(kind);
    const operator = await runCli(['keys', 'create', '--role', 'operator', '--db', seeded.db, '--json']);
    expect(operator.code).toBe(0);
    const created = JSON.parse(operator.stdout) as {
      id: string;
      role: string;
      customerId: string | null;
      secret: string;
    };
    expect(created).toMatchObject({ role: 'operator', customerId: null });

    const customer = await runCli([
      'keys',
      'create',
      '--role',
      'customer',
      '--customer',
      'cust-002',
      '--db',
      seeded.db,
    ]);
    expect(customer.code).toBe(0);
    const secret = /^secret: +(\S+)$/m.exec(customer.stdout)?.[1];
    expect(secret).toMatch(/^rf_customer_/);

    const officer = await runCli(['keys', 'create', '--role', 'officer', '--db', seeded.db, '--json']);
    expect(officer.code).toBe(0);
    const officerKey = JSON.parse(officer.stdout) as { id: string; secret: string };
    expect(officerKey).toMatchObject({ role: 'officer', customerId: null });
    expect(officerKey.secret).toMatch(/^rf_officer_/);

    const store = await seeded.reopen();
    try {
      expect(await authenticateApiKey(store, created.secret)).toMatchObject({
        id: created.id,
        role: 'operator',
        customerId: null,
      });
      expect(await authenticateApiKey(store, secret!)).toMatchObject({
        role: 'customer',
        customerId: 'cust-002',
      });
      expect(await authenticateApiKey(store, officerKey.secret)).toMatchObject({
        id: officerKey.id,
        role: 'officer',
        customerId: null,
      });
      expect(await authenticateApiKey(store, `${created.secret}x`)).toBeNull();
    } finally {
      await store.close();
    }
  });

  it('refuses a customer key for a customer that does not exist', async () => {
    const seeded = await seedDatabase(kind);
    const run = await runCli([
      'keys',
      'create',
      '--role',
      'customer',
      '--customer',
      'nobody',
      '--db',
      seeded.db,
      '--json',
    ]);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual({
      error: {
        code: 'customer_not_found',
        message: 'customer nobody does not exist',
        details: { customerId: 'nobody' },
      },
    });
  });
});

describe('ringfence keys create usage', () => {
  it.each([
    [['keys', 'create', '--role', 'root', '--db', 'x.sqlite'], '--role must be one of'],
    [['keys', 'create', '--role', 'customer', '--db', 'x.sqlite'], 'a customer key needs --customer'],
    [
      ['keys', 'create', '--role', 'auditor', '--customer', 'c', '--db', 'x.sqlite'],
      'an auditor key takes no --customer',
    ],
    [
      ['keys', 'create', '--role', 'officer', '--customer', 'c', '--db', 'x.sqlite'],
      'an officer key takes no --customer',
    ],
    [['keys', 'delete'], 'unknown action "keys delete"'],
  ])('refuses %j', async (args, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });
});

// API keys: random secrets shown once, stored only as SHA-256 hashes, each with a role and, for
// customer keys, the one customer it speaks for.

import { createHash, randomBytes } from 'node:crypto';
import type { ApiKeyRecord, ApiKeyRole, LedgerStore } from '../store/store.ts';

/** Every role a key may have, in the order help texts list them. */
export const API_KEY_ROLES: readonly ApiKeyRole[] = ['operator', 'customer', 'auditor', 'officer'];

/** A new key: the record stored and the secret to hand to its holder (never stored). */
export interface CreatedApiKey {
  readonly record: ApiKeyRecord;
  readonly secret: string;
}

/** Creates and stores a key; customer keys must name their customer, other roles must not. */
export async function createApiKey(
  store: LedgerStore,
  role: ApiKeyRole,
  customerId: string | null,
  nowMs: number = Date.now(),
): Promise<CreatedApiKey> {
  if ((role === 'customer') !== (customerId !== null)) {
    throw new RangeError('customer keys need a customer id; operator, auditor and officer keys have none');
  }
  const id = randomBytes(6).toString('hex');
  const secret = `rf_${role}_${id}_${randomBytes(24).toString('base64url')}`;
  const record: ApiKeyRecord = { id, secretHash: hashSecret(secret), role, customerId, createdAtMs: nowMs };
  await store.insertApiKey(record);
  return { record, secret };
}

/** The key record for a presented secret, or null when it is unknown. */
export async function authenticateApiKey(store: LedgerStore, secret: string): Promise<ApiKeyRecord | null> {
  if (secret.length === 0 || secret.length > 200) return null;
  return store.findApiKeyBySecretHash(hashSecret(secret));
}

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

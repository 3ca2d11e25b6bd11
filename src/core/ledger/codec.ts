// Canonical JSON of journal entries: fixed key order, amounts as decimal strings of minor units.
// The journal hash covers these exact strings, so the encoding must never change for a given entry.

import { assert } from '../assert.ts';
import type { VaultInput } from '../custody/vault.ts';
import { SEGREGATION_CLASSES, TRANSFER_KINDS, type TransferKind } from './classes.ts';
import type { Entry, Leg, Owner } from './types.ts';

const str = JSON.stringify;

/** The canonical string of an entry; equal entries give equal strings (the idempotency fingerprint too). */
export function encodeEntry(entry: Entry): string {
  return flatten(encodeParts(entry));
}

// Concatenation builds a tree of string pieces; the engine keeps bodies for idempotency, and one flat string
// costs the garbage collector far less than a tree of twenty pieces. Converting to a number flattens it.
function flatten(text: string): string {
  Number(text);
  return text;
}

function encodeParts(entry: Entry): string {
  switch (entry.type) {
    case 'transfer': {
      let legs = '';
      for (const leg of entry.legs) {
        if (legs.length > 0) legs += ',';
        legs += `{"debit":${str(leg.debit)},"credit":${str(leg.credit)},"asset":${str(leg.asset)},"amountMinor":"${leg.amountMinor}"}`;
      }
      return `{"type":"transfer","id":"${entry.id}","kind":"${entry.kind}","reference":${str(entry.reference)},"instructedBy":${str(entry.instructedBy)},"legs":[${legs}],"holdExpiresAtMs":${entry.holdExpiresAtMs}}`;
    }
    case 'post_hold':
      return `{"type":"post_hold","id":"${entry.id}","holdId":"${entry.holdId}","amountMinor":${entry.amountMinor === null ? 'null' : `"${entry.amountMinor}"`}}`;
    case 'void_hold':
      return `{"type":"void_hold","id":"${entry.id}","holdId":"${entry.holdId}"}`;
    case 'expire_hold':
      return `{"type":"expire_hold","holdId":"${entry.holdId}"}`;
    case 'register_asset':
      return `{"type":"register_asset","code":${str(entry.code)},"scale":${entry.scale}}`;
    case 'add_account_class':
      return `{"type":"add_account_class","code":${str(entry.code)}}`;
    case 'create_customer':
      return `{"type":"create_customer","id":${str(entry.id)},"name":${str(entry.name)}}`;
    case 'open_account':
      return `{"type":"open_account","id":${str(entry.id)},"owner":${encodeOwner(entry.owner)},"asset":${str(entry.asset)},"segregationClass":"${entry.segregationClass}","accountClass":${str(entry.accountClass)},"vaultId":${str(entry.vaultId)}}`;
    case 'register_vault':
      return `{"type":"register_vault","vault":${encodeVault(entry.vault)}}`;
  }
}

// Fixed key order, like every entry; the engine journals only validated vaults, so the fields are in
// normal form (lower-case addresses) by the time they are encoded.
function encodeVault(vault: VaultInput): string {
  const assets = vault.assets
    .map((entry) => `{"asset":${str(entry.asset)},"token":${str(entry.token)}}`)
    .join(',');
  const acknowledgment =
    vault.acknowledgment === null
      ? 'null'
      : `{"acknowledgedAtMs":${vault.acknowledgment.acknowledgedAtMs},"documentReference":${str(vault.acknowledgment.documentReference)}}`;
  return `{"id":${str(vault.id)},"chainId":${vault.chainId},"address":${str(vault.address)},"assets":[${assets}],"kind":${str(vault.kind)},"customerId":${str(vault.customerId)},"accountClass":${str(vault.accountClass)},"temperature":${str(vault.temperature)},"custodian":${str(vault.custodian)},"acknowledgment":${acknowledgment}}`;
}

function decodeVault(raw: Record<string, unknown>): VaultInput {
  const acknowledgment = raw.acknowledgment as Record<string, unknown> | null;
  return {
    id: text(raw.id),
    chainId: Number(raw.chainId),
    address: text(raw.address),
    assets: (raw.assets as Record<string, unknown>[]).map((entry) => ({
      asset: text(entry.asset),
      token: text(entry.token),
    })),
    kind: text(raw.kind),
    customerId: raw.customerId === null ? null : text(raw.customerId),
    accountClass: raw.accountClass === null ? null : text(raw.accountClass),
    temperature: text(raw.temperature),
    custodian: text(raw.custodian),
    acknowledgment:
      acknowledgment === null
        ? null
        : {
            acknowledgedAtMs: Number(acknowledgment.acknowledgedAtMs),
            documentReference: text(acknowledgment.documentReference),
          },
  };
}

function encodeOwner(owner: Owner): string {
  return owner.type === 'house'
    ? '{"type":"house"}'
    : `{"type":"customer","customerId":${str(owner.customerId)}}`;
}

/** Parses a canonical entry string back into an entry; throws on anything that is not one. */
export function decodeEntry(body: string): Entry {
  const raw = JSON.parse(body) as Record<string, unknown>;
  const entry = decodeRaw(raw);
  // Re-encoding must give the same bytes, or the row was not written by encodeEntry.
  assert(encodeEntry(entry) === body, 'journal entry is not in canonical form');
  return entry;
}

function decodeRaw(raw: Record<string, unknown>): Entry {
  switch (raw.type) {
    case 'transfer':
      assert((TRANSFER_KINDS as readonly unknown[]).includes(raw.kind), 'unknown transfer kind in journal');
      return {
        type: 'transfer',
        id: text(raw.id),
        kind: raw.kind as TransferKind,
        reference: text(raw.reference),
        instructedBy: raw.instructedBy === null ? null : text(raw.instructedBy),
        legs: (raw.legs as Record<string, unknown>[]).map(decodeLeg),
        holdExpiresAtMs: raw.holdExpiresAtMs === null ? null : Number(raw.holdExpiresAtMs),
      };
    case 'post_hold':
      return {
        type: 'post_hold',
        id: text(raw.id),
        holdId: text(raw.holdId),
        amountMinor: raw.amountMinor === null ? null : BigInt(text(raw.amountMinor)),
      };
    case 'void_hold':
      return { type: 'void_hold', id: text(raw.id), holdId: text(raw.holdId) };
    case 'expire_hold':
      return { type: 'expire_hold', holdId: text(raw.holdId) };
    case 'register_asset':
      return { type: 'register_asset', code: text(raw.code), scale: Number(raw.scale) };
    case 'add_account_class':
      return { type: 'add_account_class', code: text(raw.code) };
    case 'create_customer':
      return { type: 'create_customer', id: text(raw.id), name: text(raw.name) };
    case 'open_account': {
      const owner = raw.owner as Record<string, unknown>;
      assert(
        (SEGREGATION_CLASSES as readonly unknown[]).includes(raw.segregationClass),
        'unknown class in journal',
      );
      return {
        type: 'open_account',
        id: text(raw.id),
        owner:
          owner.type === 'house'
            ? { type: 'house' }
            : { type: 'customer', customerId: text(owner.customerId) },
        asset: text(raw.asset),
        segregationClass: raw.segregationClass as (typeof SEGREGATION_CLASSES)[number],
        accountClass: raw.accountClass === null ? null : text(raw.accountClass),
        vaultId: raw.vaultId === null ? null : text(raw.vaultId),
      };
    }
    case 'register_vault':
      return { type: 'register_vault', vault: decodeVault(raw.vault as Record<string, unknown>) };
    default:
      throw new SyntaxError(`unknown journal entry type ${String(raw.type)}`);
  }
}

function decodeLeg(raw: Record<string, unknown>): Leg {
  return {
    debit: text(raw.debit),
    credit: text(raw.credit),
    asset: text(raw.asset),
    amountMinor: BigInt(text(raw.amountMinor)),
  };
}

function text(value: unknown): string {
  if (typeof value !== 'string') throw new SyntaxError('expected a string in journal entry');
  return value;
}

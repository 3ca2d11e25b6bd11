// Publishes proof-of-reserves audits and serves each customer their inclusion proof. An audit pins the books
// at the journal head, commits every customer balance in a liability Merkle-sum tree, reads the segregated
// vaults' balances and owners on chain at one block, collects the owners' signatures over a fresh challenge,
// and signs the attestation with the platform key. Audits are append-only events (store `reserves_events`);
// a tree is rebuilt from the books at its journal position and the audit's secret when it is not in memory.

import { randomBytes } from 'node:crypto';
import { type ChainAdapter, chainAssetsOf } from '../../chain/chain-adapter.ts';
import { assert } from '../../core/assert.ts';
import { decodeCanonicalJson, encodeCanonicalJson } from '../../core/canonical-json.ts';
import type { Address } from '../../core/custody/address.ts';
import { type Rejected, rejected } from '../../core/custody/rejection.ts';
import { CUSTOMER_VAULT_KINDS, type Vault } from '../../core/custody/vault.ts';
import {
  assembleAttestation,
  signAttestation,
  type VaultReading,
} from '../../core/reserves/assemble-attestation.ts';
import { controlChallenge, type SignedAttestation } from '../../core/reserves/attestation.ts';
import { createInclusionProof } from '../../core/reserves/inclusion-proof.ts';
import type {
  BuildLiabilityTreeResult,
  LiabilityTree,
  LiabilityTreeErrorCode,
  LiabilityTreeInput,
} from '../../core/reserves/liability-tree.ts';
import { buildLiabilityTree, leafCustomerId } from '../../core/reserves/liability-tree.ts';
import type { InclusionProofJson } from '../../core/reserves/proof-json.ts';
import { HASH_BYTES, toHex } from '../../core/reserves/tree-format.ts';
import type { ReservesEventRecord } from '../../store/store.ts';
import type { LedgerService } from '../ledger-service.ts';
import { type AuditBooks, auditLeaves, readAuditBooks } from './audit-leaves.ts';

/** A key that personal-signs (EIP-191) text: the platform's attestation key, or a vault owner's key. */
export interface PersonalSigner {
  readonly address: Address;
  signMessage(message: string): Promise<string>;
}

/** The rejection codes of the reserves service (docs/rejection-codes.md). */
export type ReservesErrorCode =
  | 'reserves_signer_unavailable'
  | 'reserves_chain_unavailable'
  | 'proof_audit_unknown'
  | 'proof_customer_not_in_audit'
  | LiabilityTreeErrorCode;

export type ReservesResult<T> = { readonly ok: true; readonly value: T } | Rejected<ReservesErrorCode>;

/** One published audit as stored: the signed attestation and what rebuilds its tree. */
export interface PublishedAudit {
  readonly auditId: string;
  readonly attestation: SignedAttestation;
  readonly publishedBy: string;
  readonly publishedAtMs: number;
}

export interface ReservesServiceOptions {
  /** Reads the segregated vaults; without it nothing can be published (reserves must be read on chain). */
  readonly chain: ChainAdapter | null;
  /** The platform key that signs attestations; without it nothing can be published. */
  readonly platformSigner: PersonalSigner | null;
  /** Vault owner keys this deployment can ask to sign proof-of-control challenges. */
  readonly controlSigners?: readonly PersonalSigner[];
  readonly clock?: () => number;
  /** Random bytes for audit ids and secrets (tests pass a seeded source). */
  readonly random?: (length: number) => Uint8Array;
  /** Builds the tree; the default builds on this thread, the server passes the multi-threaded builder. */
  readonly buildTree?: (input: LiabilityTreeInput) => Promise<BuildLiabilityTreeResult>;
}

interface AuditPublishedEvent {
  readonly kind: 'audit_published';
  readonly auditId: string;
  /** The 32-byte secret the salts and positions derive from (hex); never leaves the venue. */
  readonly secret: string;
  readonly attestation: SignedAttestation;
  readonly publishedBy: string;
}

interface CachedTree {
  readonly auditId: string;
  readonly tree: LiabilityTree;
  readonly positions: ReadonlyMap<string, number>;
}

/** How many built trees stay in memory (the latest audits are the ones customers ask for). */
const TREES_CACHED_MAX = 2;

export class ReservesService {
  readonly #audits: PublishedAudit[] = [];
  readonly #secrets = new Map<string, Uint8Array>();
  #trees: CachedTree[] = [];
  #tail: Promise<unknown> = Promise.resolve();
  readonly #clock: () => number;
  readonly #random: (length: number) => Uint8Array;
  readonly #buildTree: (input: LiabilityTreeInput) => Promise<BuildLiabilityTreeResult>;

  private constructor(
    private readonly ledger: LedgerService,
    private readonly options: ReservesServiceOptions,
  ) {
    this.#clock = options.clock ?? Date.now;
    this.#random = options.random ?? ((length) => randomBytes(length));
    this.#buildTree = options.buildTree ?? (async (input) => buildLiabilityTree(input));
  }

  /** Opens the service and reads every published audit. */
  static async open(ledger: LedgerService, options: ReservesServiceOptions): Promise<ReservesService> {
    const service = new ReservesService(ledger, options);
    for (const record of await ledger.store.readReservesEvents()) service.#apply(record);
    return service;
  }

  /** Every published audit, oldest first. */
  list(): readonly PublishedAudit[] {
    return this.#audits;
  }

  /** The audit with this id, or null. */
  find(auditId: string): PublishedAudit | null {
    return this.#audits.find((audit) => audit.auditId === auditId) ?? null;
  }

  /** The latest published audit, or null. */
  latest(): PublishedAudit | null {
    return this.#audits.at(-1) ?? null;
  }

  /**
   * Publishes an audit of the books at the journal head: builds the tree, reads reserves and control on chain,
   * signs. Nothing is stored unless every step succeeds.
   */
  publish(by: string): Promise<ReservesResult<PublishedAudit>> {
    return this.#exclusive(async () => {
      const { chain, platformSigner } = this.options;
      if (platformSigner === null) {
        return rejected(
          'reserves_signer_unavailable',
          'no platform attestation key is configured on this server',
        );
      }
      if (chain === null) {
        return rejected(
          'reserves_chain_unavailable',
          'reserves are read on chain and no chain is configured',
        );
      }
      const { books, vaults } = await this.ledger.read((engine) => ({
        books: readAuditBooks(engine),
        vaults: engine.listVaults().filter(isSegregatedVault),
      }));
      const auditIdBytes = this.#random(16);
      const secret = this.#random(32);
      const built = await this.#build(books, auditIdBytes, secret);
      if (!built.ok) return built;
      const auditId = toHex(auditIdBytes);
      const readings = await this.#readVaults(chain, auditId, vaults, books);
      const body = assembleAttestation({
        tree: built.value,
        deficitsMinor: books.deficitsMinor,
        vaults: readings,
        asOf: new Date(this.#clock()).toISOString(),
        journal: { seq: books.seq, headHash: books.headHash },
        platformSigner: platformSigner.address,
      });
      const attestation = await signAttestation(body, (message) => platformSigner.signMessage(message));
      const event: AuditPublishedEvent = {
        kind: 'audit_published',
        auditId,
        secret: toHex(secret),
        attestation,
        publishedBy: by,
      };
      const record: ReservesEventRecord = {
        seq: this.#audits.length + 1,
        kind: event.kind,
        body: encodeCanonicalJson(event),
        timestampMs: this.#clock(),
      };
      await this.ledger.store.appendReservesEvents([record]);
      this.#apply(record);
      this.#remember({ auditId, tree: built.value, positions: positionsOf(built.value, books) });
      return { ok: true, value: this.find(auditId)! };
    });
  }

  /** The inclusion proof of `customerId` in audit `auditId` (rebuilding the tree if it is not in memory). */
  proofFor(auditId: string, customerId: string): Promise<ReservesResult<InclusionProofJson>> {
    return this.#exclusive(async () => {
      const audit = this.find(auditId);
      if (audit === null)
        return rejected('proof_audit_unknown', `no published audit ${auditId}`, { auditId });
      const cached = await this.#treeOf(audit);
      const position = cached.positions.get(customerId);
      if (position === undefined) {
        return rejected(
          'proof_customer_not_in_audit',
          `customer ${customerId} had no account when audit ${auditId} was taken`,
          { auditId, customerId },
        );
      }
      return { ok: true, value: createInclusionProof(cached.tree, position, audit.attestation) };
    });
  }

  async #treeOf(audit: PublishedAudit): Promise<CachedTree> {
    const cached = this.#trees.find((entry) => entry.auditId === audit.auditId);
    if (cached !== undefined) return cached;
    const { body } = audit.attestation;
    const books = await this.ledger.readAsOf({ seq: body.journal.seq }, readAuditBooks);
    assert(books.headHash === body.journal.headHash, 'the journal at an audit position has not changed');
    const secret = this.#secrets.get(audit.auditId)!;
    const built = await this.#build(books, Buffer.from(audit.auditId, 'hex'), secret);
    assert(built.ok, 'books that built a tree once build it again');
    assert(
      toHex(built.value.root.subarray(0, HASH_BYTES)) === body.liabilities.rootHash,
      'a rebuilt tree has the attested root',
    );
    const entry = { auditId: audit.auditId, tree: built.value, positions: positionsOf(built.value, books) };
    this.#remember(entry);
    return entry;
  }

  async #build(
    books: AuditBooks,
    auditId: Uint8Array,
    secret: Uint8Array,
  ): Promise<ReservesResult<LiabilityTree>> {
    const built = await this.#buildTree({
      auditId,
      assets: books.assets,
      leaves: auditLeaves(books, secret),
    });
    if (!built.ok) {
      return rejected(built.error.code, built.error.message, {
        ...(built.error.position === undefined ? {} : { position: built.error.position }),
      });
    }
    return { ok: true, value: built.tree };
  }

  async #readVaults(
    chain: ChainAdapter,
    auditId: string,
    vaults: readonly Vault[],
    books: AuditBooks,
  ): Promise<VaultReading[]> {
    const onChain = vaults.filter((vault) => vault.chainId === chain.chainId);
    if (onChain.length === 0) return [];
    const read = await chain.readVaultBalances({
      vaults: onChain.map((vault) => vault.address),
      assets: chainAssetsOf(onChain),
    });
    const blockNumber = read.blockNumber.toString();
    const readings: VaultReading[] = [];
    for (const vault of onChain) {
      const control = await chain.readVaultControl(vault.address, read.blockNumber);
      const held = new Set(vault.assets.map((asset) => asset.asset));
      const balances = books.assets.map((asset) => {
        if (!held.has(asset.code)) return '0';
        const balance = read.balances.find(
          (entry) => entry.vault.toLowerCase() === vault.address && entry.assetId === asset.code,
        );
        return (balance?.balanceMinor ?? 0n).toString();
      });
      const challenge = controlChallenge({
        auditId,
        vaultId: vault.id,
        chainId: vault.chainId,
        address: vault.address,
        blockNumber,
      });
      const signers = (this.options.controlSigners ?? []).filter((signer) =>
        control.owners.includes(signer.address),
      );
      readings.push({
        vaultId: vault.id,
        chainId: vault.chainId,
        address: vault.address,
        blockNumber,
        blockHash: read.blockHash.replace(/^0x/, ''),
        balances,
        owners: control.owners,
        threshold: control.threshold,
        challenge,
        signatures: await Promise.all(
          signers.map(async (signer) => ({
            signer: signer.address,
            signature: await signer.signMessage(challenge),
          })),
        ),
      });
    }
    return readings;
  }

  #apply(record: ReservesEventRecord): void {
    assert(record.seq === this.#audits.length + 1, 'reserves events are dense');
    const event = decodeCanonicalJson<AuditPublishedEvent>(record.body);
    assert(event.kind === 'audit_published', 'a reserves event publishes an audit');
    this.#secrets.set(event.auditId, Buffer.from(event.secret, 'hex'));
    this.#audits.push({
      auditId: event.auditId,
      attestation: event.attestation,
      publishedBy: event.publishedBy,
      publishedAtMs: record.timestampMs,
    });
  }

  #remember(entry: CachedTree): void {
    this.#trees = [entry, ...this.#trees.filter((other) => other.auditId !== entry.auditId)].slice(
      0,
      TREES_CACHED_MAX,
    );
  }

  #exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(work, work);
    this.#tail = run.catch(() => undefined);
    return run;
  }
}

/** Registered customer vaults whose custodian acknowledged no set-off: the only ones that can hold reserves. */
function isSegregatedVault(vault: Vault): boolean {
  return CUSTOMER_VAULT_KINDS.has(vault.kind) && vault.acknowledgment !== null;
}

function positionsOf(tree: LiabilityTree, books: AuditBooks): Map<string, number> {
  const positions = new Map<string, number>();
  for (let position = 0; position < tree.leaves.count; position += 1) {
    positions.set(leafCustomerId(tree.leaves, position), position);
  }
  assert(positions.size === books.customers.length, 'every customer has one leaf');
  return positions;
}

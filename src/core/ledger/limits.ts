// Explicit limits of the ledger, named with their unit last (TigerBeetle style).

/** Legs in one transfer. */
export const TRANSFER_LEGS_MAX = 64;
/** Commands one durable commit may carry (group commit joins requests up to this). */
export const BATCH_COMMANDS_MAX = 8_190;
/** Longest reference (basis) string. */
export const REFERENCE_LENGTH_MAX = 256;
/** Longest customer or account id. */
export const ID_LENGTH_MAX = 128;
/** Longest customer display name. */
export const NAME_LENGTH_MAX = 200;
/** Genesis predecessor hash of the first journal batch. */
export const GENESIS_HASH = '0'.repeat(64);

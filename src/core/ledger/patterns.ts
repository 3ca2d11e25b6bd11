// The shapes of identifiers the ledger and the custody registry accept, in one place both can import.

/** 128-bit ids travel as 32 lower-case hex digits. */
export const TRANSFER_ID_PATTERN = /^[0-9a-f]{32}$/;
/** Customer, account and vault ids: letters, digits and ':._-', starting with a letter or digit. */
export const ENTITY_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9:._-]{0,127}$/;
/** Customer account classes ("derivatives", "spot"): lower snake case. */
export const ACCOUNT_CLASS_PATTERN = /^[a-z][a-z0-9_]{0,31}$/;

// Expected on-chain rejections as data: a revert by the Safe (its GSxxx reason strings) or by the Ringfence
// guard (its custom errors), mapped to stable snake_case codes. Anything else that fails is an infrastructure
// error, not a rejection.

import { BaseError, ContractFunctionRevertedError } from 'viem';

/** Safe 1.5.0 revert reasons and the codes they map to (see docs/onchain.md). */
export const SAFE_REVERT_CODES = {
  GS010: 'safe_gas_insufficient',
  GS020: 'safe_signatures_insufficient',
  GS021: 'safe_contract_signature_invalid',
  GS022: 'safe_contract_signature_invalid',
  GS023: 'safe_contract_signature_invalid',
  GS024: 'safe_contract_signature_invalid',
  GS025: 'safe_approved_hash_missing',
  GS026: 'safe_signature_invalid',
  GS300: 'safe_guard_unsupported',
} as const;

/** RingfenceGuard custom errors and the codes they map to (see docs/onchain.md). */
export const GUARD_REJECTION_CODES = {
  DelegateCallForbidden: 'guard_delegatecall_forbidden',
  GasRefundForbidden: 'guard_gas_refund_forbidden',
  TrusteeSignatureRequired: 'guard_trustee_signature_required',
  DestinationNotAllowlisted: 'guard_destination_not_allowlisted',
  MalformedCallData: 'guard_call_data_malformed',
  AllowlistChangeNotAuthorized: 'guard_allowlist_change_not_authorized',
  CallerNotSafe: 'guard_caller_not_safe',
  InvalidConfiguration: 'guard_configuration_invalid',
} as const;

/** Every code an on-chain rejection can carry; `contract_reverted` is any other revert (an inner call). */
export type ContractRejectionCode =
  | (typeof SAFE_REVERT_CODES)[keyof typeof SAFE_REVERT_CODES]
  | (typeof GUARD_REJECTION_CODES)[keyof typeof GUARD_REJECTION_CODES]
  | 'contract_reverted';

/** A revert decoded: the code, the raw reason (GSxxx or error name) and the error's arguments. */
export interface ContractRejection {
  readonly code: ContractRejectionCode;
  readonly reason: string;
  readonly args: readonly unknown[];
}

/** Decodes a viem contract error into a rejection, or returns null when it is not a revert (a transport failure). */
export function toContractRejection(error: unknown): ContractRejection | null {
  if (!(error instanceof BaseError)) return null;
  const reverted = error.walk((cause) => cause instanceof ContractFunctionRevertedError);
  if (!(reverted instanceof ContractFunctionRevertedError)) return null;
  const errorName = reverted.data?.errorName;
  const args = reverted.data?.args ?? [];
  if (reverted.reason !== undefined && reverted.reason in SAFE_REVERT_CODES) {
    const reason = reverted.reason as keyof typeof SAFE_REVERT_CODES;
    return { code: SAFE_REVERT_CODES[reason], reason, args: [] };
  }
  if (errorName !== undefined && errorName in GUARD_REJECTION_CODES) {
    return {
      code: GUARD_REJECTION_CODES[errorName as keyof typeof GUARD_REJECTION_CODES],
      reason: errorName,
      args,
    };
  }
  return { code: 'contract_reverted', reason: reverted.reason ?? errorName ?? reverted.shortMessage, args };
}

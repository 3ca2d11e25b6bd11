// The one table that maps every error code the API can return to its HTTP status. Rejection codes come
// from the ledger rules (core), from amount parsing (money) and from the HTTP layer itself (auth, input).

/** The statuses an error response can carry. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 500 | 503;

/** Every known error code and its status; docs/api.md lists the same table. */
export const ERROR_STATUS = {
  // 400: the request itself is malformed; nothing about the ledger's state caused it.
  request_invalid: 400,
  transfer_id_invalid: 400,
  transfer_legs_empty: 400,
  transfer_legs_too_many: 400,
  transfer_same_account: 400,
  transfer_reference_invalid: 400,
  amount_invalid: 400,
  amount_too_many_decimals: 400,
  amount_not_positive: 400,
  amount_overflow: 400,
  hold_must_have_one_leg: 400,
  asset_code_invalid: 400,
  asset_scale_invalid: 400,
  account_class_invalid: 400,
  customer_id_invalid: 400,
  customer_name_invalid: 400,
  account_id_invalid: 400,
  segregation_class_unknown: 400,
  vault_id_invalid: 400,
  vault_chain_id_invalid: 400,
  vault_address_invalid: 400,
  vault_assets_invalid: 400,
  vault_asset_code_invalid: 400,
  vault_asset_token_invalid: 400,
  vault_asset_duplicate: 400,
  vault_kind_unknown: 400,
  vault_temperature_unknown: 400,
  vault_custodian_invalid: 400,
  vault_customer_required: 400,
  vault_customer_not_applicable: 400,
  vault_account_class_required: 400,
  vault_account_class_not_applicable: 400,
  vault_acknowledgment_invalid: 400,
  // 401 and 403: who is asking, and whether they may.
  unauthorized: 401,
  forbidden_role: 403,
  forbidden_not_own_account: 403,
  // 404: a GET of an id (or a path) that does not exist.
  not_found: 404,
  // 409: the id is taken, by other content or by an earlier failure.
  idempotency_id_reused_with_different_content: 409,
  idempotency_id_already_failed: 409,
  asset_already_exists: 409,
  customer_already_exists: 409,
  account_already_exists: 409,
  vault_already_exists: 409,
  vault_address_already_registered: 409,
  vault_asset_already_recorded: 409,
  // 413 and 415: the request is too large or not JSON.
  batch_too_large: 413,
  request_too_large: 413,
  media_type_unsupported: 415,
  // 422: well-formed, but the ledger's rules or state refuse it.
  asset_unknown: 422,
  account_not_found: 422,
  customer_not_found: 422,
  account_owner_not_allowed_for_class: 422,
  account_class_required: 422,
  account_class_not_applicable: 422,
  account_class_unknown: 422,
  account_balance_overflow: 422,
  transfer_asset_mismatch: 422,
  transfer_reference_required: 422,
  transfer_leg_not_allowed_for_kind: 422,
  custody_balance_negative: 422,
  insurance_fund_negative: 422,
  segregation_customer_claim_negative: 422,
  segregation_residual_interest_negative: 422,
  segregation_custody_exit_forbidden: 422,
  segregation_customer_to_house_forbidden: 422,
  segregation_pool_mixing_forbidden: 422,
  segregation_account_class_mixing_forbidden: 422,
  segregation_customer_debit_requires_instruction: 422,
  segregation_instruction_customer_mismatch: 422,
  segregation_trade_requires_counterparty_reference: 422,
  segregation_fee_requires_basis: 422,
  segregation_custody_below_customer_claims: 422,
  segregation_pool_unbalanced: 422,
  correction_reference_unknown: 422,
  correction_already_reversed: 422,
  correction_not_exact_reversal: 422,
  hold_not_found: 422,
  hold_already_posted: 422,
  hold_already_voided: 422,
  hold_expired: 422,
  hold_post_amount_exceeds_pending: 422,
  hold_expiry_not_in_future: 422,
  as_of_beyond_head: 422,
  vault_not_found: 422,
  vault_kind_mismatch: 422,
  vault_not_customer_kind: 422,
  vault_acknowledgment_missing: 422,
  vault_acknowledgment_not_effective: 422,
  vault_asset_not_supported: 422,
  vault_account_class_mismatch: 422,
  vault_customer_mismatch: 422,
  account_vault_required: 422,
  account_vault_not_applicable: 422,
  // 5xx: the service, not the request, failed.
  internal_error: 500,
  service_unavailable: 503,
} as const satisfies Record<string, ErrorStatus>;

/** An error code the table knows. */
export type ErrorCode = keyof typeof ERROR_STATUS;

/**
 * The status of `code`. A ledger rejection code missing from the table is still a refusal of a
 * well-formed request, so it answers 422; a test keeps the table complete against the rule sources.
 */
export function statusOfErrorCode(code: string): ErrorStatus {
  return Object.hasOwn(ERROR_STATUS, code) ? ERROR_STATUS[code as ErrorCode] : 422;
}

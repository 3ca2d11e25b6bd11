// The public surface of the OKX proof-of-reserves verifiers: format detection, the v1 Merkle proof, the v2
// user-info file and the v2 full liability tree, with their result, error and weakness types.

export { OKX_ASSETS, type OkxAsset, type OkxBalances } from './okx-balances.ts';
export { formatOkxAmount, type OkxAmount } from './okx-decimal.ts';
export {
  OKX_WEAKNESS_MESSAGES,
  type OkxError,
  type OkxFailure,
  type OkxWeakness,
  type OkxWeaknessCode,
} from './okx-failure.ts';
export { detectOkxFormat, isOkxLiabilityTreeText, type OkxJsonFormat } from './okx-format.ts';
export {
  OKX_LIABILITY_TREE_V2_FORMAT,
  type OkxLiabilityTreeCheck,
  type OkxLiabilityTreeErrorCode,
  type OkxLiabilityTreeFailure,
  type OkxLiabilityTreeOptions,
  type OkxLiabilityTreeResult,
  startOkxLiabilityTreeCheck,
  type VerifiedOkxLiabilityTree,
  verifyOkxLiabilityTree,
} from './okx-liability-tree.ts';
export {
  OKX_MERKLE_V1_FORMAT,
  type OkxMerkleProofErrorCode,
  type OkxMerkleProofResult,
  type VerifiedOkxMerkleProof,
  verifyOkxMerkleProof,
} from './okx-merkle-proof.ts';
export {
  OKX_USER_INFO_V2_FORMAT,
  type OkxUserInfoErrorCode,
  type OkxUserInfoResult,
  type OkxUserLeaf,
  type VerifiedOkxUserInfo,
  verifyOkxUserInfo,
} from './okx-user-info.ts';

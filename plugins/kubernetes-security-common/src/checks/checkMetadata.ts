/**
 * What each check is, as data: no check logic is reachable from here, so a
 * frontend can show titles, rationale and remediation without bundling the
 * checks. The executable checks spread the same objects (`checkCatalogue.ts`).
 */
import type { CheckMetadata } from './types';
import {
  privilegedContainerMetadata,
  allowPrivilegeEscalationMetadata,
  dangerousCapabilitiesAddedMetadata,
  capabilitiesAddedBeyondBaselineMetadata,
  capabilitiesNotDroppedMetadata,
  runAsNonRootNotSetMetadata,
  runAsUserRootMetadata,
  readOnlyRootFilesystemDisabledMetadata,
  seccompProfileMissingMetadata,
  seccompUnconfinedMetadata,
  appArmorUnconfinedMetadata,
  procMountUnmaskedMetadata,
  unsafeSysctlsMetadata,
  seLinuxCustomOptionsMetadata,
} from './hardening/metadata';
import {
  hostPidMetadata,
  hostIpcMetadata,
  hostNetworkMetadata,
  hostPathWritableMetadata,
  hostPathReadOnlyMetadata,
  hostPortMetadata,
  windowsHostProcessMetadata,
  windowsHostProcessInconsistentMetadata,
  windowsHostProcessMissingHostNetworkMetadata,
} from './host/metadata';
import {
  imageTagMissingOrLatestMetadata,
  imageNotPinnedByDigestMetadata,
  imagePullPolicyNotAlwaysMetadata,
} from './images/metadata';
import {
  imageSignatureInvalidMetadata,
  imageSignaturePolicyMismatchMetadata,
  imageUnsignedMetadata,
  imageSignatureNotCheckedMetadata,
} from './signatures/metadata';
import {
  serviceAccountTokenAutomountedMetadata,
  defaultServiceAccountUsedMetadata,
  legacyServiceAccountTokenMetadata,
  legacyTokenReferencedMetadata,
  projectedTokenLongLivedMetadata,
} from './serviceAccounts/metadata';
import {
  fsGroupNotAppliedMetadata,
  fsGroupRecursiveChangeMetadata,
  fsGroupRootMetadata,
  fsGroupMissingMetadata,
} from './storage/metadata';
import {
  psaEnforceMissingMetadata,
  psaEnforcePrivilegedMetadata,
  psaVersionUnpinnedMetadata,
  psaEnforcedLevelViolatedMetadata,
  psaWarnLevelViolatedMetadata,
} from './podSecurity/metadata';
import {
  admissionWouldDenyMetadata,
  admissionAuditOnlyMetadata,
  admissionUnknownMetadata,
  admissionSignedImagesNotRequiredMetadata,
  admissionPolicyTypeWarningsMetadata,
  admissionFeatureDisabledMetadata,
} from './admission/metadata';

export type {
  CheckArea,
  CheckEquivalents,
  CheckMetadata,
  Severity,
} from './types';
export { SEVERITIES } from './types';

/** Every check's metadata, in display order, matching `ALL_CHECKS`. */
export const CHECK_METADATA: readonly CheckMetadata[] = [
  privilegedContainerMetadata,
  hostPidMetadata,
  hostIpcMetadata,
  hostNetworkMetadata,
  hostPathWritableMetadata,
  hostPathReadOnlyMetadata,
  hostPortMetadata,
  windowsHostProcessMetadata,
  windowsHostProcessInconsistentMetadata,
  windowsHostProcessMissingHostNetworkMetadata,
  allowPrivilegeEscalationMetadata,
  dangerousCapabilitiesAddedMetadata,
  capabilitiesAddedBeyondBaselineMetadata,
  capabilitiesNotDroppedMetadata,
  runAsNonRootNotSetMetadata,
  runAsUserRootMetadata,
  readOnlyRootFilesystemDisabledMetadata,
  seccompProfileMissingMetadata,
  seccompUnconfinedMetadata,
  appArmorUnconfinedMetadata,
  procMountUnmaskedMetadata,
  unsafeSysctlsMetadata,
  seLinuxCustomOptionsMetadata,
  imageTagMissingOrLatestMetadata,
  imageNotPinnedByDigestMetadata,
  imagePullPolicyNotAlwaysMetadata,
  imageSignatureInvalidMetadata,
  imageSignaturePolicyMismatchMetadata,
  imageUnsignedMetadata,
  imageSignatureNotCheckedMetadata,
  serviceAccountTokenAutomountedMetadata,
  defaultServiceAccountUsedMetadata,
  legacyServiceAccountTokenMetadata,
  legacyTokenReferencedMetadata,
  projectedTokenLongLivedMetadata,
  fsGroupNotAppliedMetadata,
  fsGroupRecursiveChangeMetadata,
  fsGroupRootMetadata,
  fsGroupMissingMetadata,
  psaEnforceMissingMetadata,
  psaEnforcePrivilegedMetadata,
  psaVersionUnpinnedMetadata,
  psaEnforcedLevelViolatedMetadata,
  psaWarnLevelViolatedMetadata,
  admissionWouldDenyMetadata,
  admissionAuditOnlyMetadata,
  admissionUnknownMetadata,
  admissionSignedImagesNotRequiredMetadata,
  admissionPolicyTypeWarningsMetadata,
  admissionFeatureDisabledMetadata,
];

export function checkMetadata(id: string): CheckMetadata | undefined {
  return CHECK_METADATA.find(check => check.id === id);
}

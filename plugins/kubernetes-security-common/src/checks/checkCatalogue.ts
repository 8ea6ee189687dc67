import type { Check } from './types';
import { privilegedContainer } from './hardening/privilegedContainer';
import { hostPid } from './host/hostPid';
import { hostIpc } from './host/hostIpc';
import { hostNetwork } from './host/hostNetwork';
import { hostPathWritable } from './host/hostPathWritable';
import { hostPathReadOnly } from './host/hostPathReadOnly';
import { hostPort } from './host/hostPort';
import { windowsHostProcess } from './host/windowsHostProcess';
import { windowsHostProcessInconsistent } from './host/windowsHostProcessInconsistent';
import { windowsHostProcessMissingHostNetwork } from './host/windowsHostProcessMissingHostNetwork';
import { allowPrivilegeEscalation } from './hardening/allowPrivilegeEscalation';
import { dangerousCapabilitiesAdded } from './hardening/dangerousCapabilitiesAdded';
import { capabilitiesAddedBeyondBaseline } from './hardening/capabilitiesAddedBeyondBaseline';
import { capabilitiesNotDropped } from './hardening/capabilitiesNotDropped';
import { runAsNonRootNotSet } from './hardening/runAsNonRootNotSet';
import { runAsUserRoot } from './hardening/runAsUserRoot';
import { readOnlyRootFilesystemDisabled } from './hardening/readOnlyRootFilesystemDisabled';
import { seccompProfileMissing } from './hardening/seccompProfileMissing';
import { seccompUnconfined } from './hardening/seccompUnconfined';
import { appArmorUnconfined } from './hardening/appArmorUnconfined';
import { procMountUnmasked } from './hardening/procMountUnmasked';
import { unsafeSysctls } from './hardening/unsafeSysctls';
import { seLinuxCustomOptions } from './hardening/seLinuxCustomOptions';
import { imageTagMissingOrLatest } from './images/imageTagMissingOrLatest';
import { imageNotPinnedByDigest } from './images/imageNotPinnedByDigest';
import { imagePullPolicyNotAlways } from './images/imagePullPolicyNotAlways';
import { serviceAccountTokenAutomounted } from './serviceAccounts/serviceAccountTokenAutomounted';
import { defaultServiceAccountUsed } from './serviceAccounts/defaultServiceAccountUsed';
import { psaEnforceMissing } from './podSecurity/psaEnforceMissing';
import { psaEnforcePrivileged } from './podSecurity/psaEnforcePrivileged';
import { psaVersionUnpinned } from './podSecurity/psaVersionUnpinned';
import { psaEnforcedLevelViolated } from './podSecurity/psaEnforcedLevelViolated';
import { psaWarnLevelViolated } from './podSecurity/psaWarnLevelViolated';
import { legacyServiceAccountToken } from './serviceAccounts/legacyServiceAccountToken';
import { legacyTokenReferenced } from './serviceAccounts/legacyTokenReferenced';
import { projectedTokenLongLived } from './serviceAccounts/projectedTokenLongLived';
import { imageUnsigned } from './signatures/imageUnsigned';
import { imageSignaturePolicyMismatch } from './signatures/imageSignaturePolicyMismatch';
import { imageSignatureInvalid } from './signatures/imageSignatureInvalid';
import { imageSignatureNotChecked } from './signatures/imageSignatureNotChecked';
import { fsGroupNotApplied } from './storage/fsGroupNotApplied';
import { fsGroupRecursiveChange } from './storage/fsGroupRecursiveChange';
import { fsGroupRoot } from './storage/fsGroupRoot';
import { fsGroupMissing } from './storage/fsGroupMissing';
import { admissionWouldDeny } from './admission/admissionWouldDeny';
import { admissionAuditOnly } from './admission/admissionAuditOnly';
import { admissionUnknown } from './admission/admissionUnknown';
import { admissionSignedImagesNotRequired } from './admission/admissionSignedImagesNotRequired';
import { admissionPolicyTypeWarnings } from './admission/admissionPolicyTypeWarnings';
import { admissionFeatureDisabled } from './admission/admissionFeatureDisabled';

/**
 * Every executable check, in display order. Adding a check means adding its
 * metadata to its area's `metadata.ts` and one line here and in `CHECK_METADATA`.
 */
export const ALL_CHECKS: readonly Check[] = [
  privilegedContainer,
  hostPid,
  hostIpc,
  hostNetwork,
  hostPathWritable,
  hostPathReadOnly,
  hostPort,
  windowsHostProcess,
  windowsHostProcessInconsistent,
  windowsHostProcessMissingHostNetwork,
  allowPrivilegeEscalation,
  dangerousCapabilitiesAdded,
  capabilitiesAddedBeyondBaseline,
  capabilitiesNotDropped,
  runAsNonRootNotSet,
  runAsUserRoot,
  readOnlyRootFilesystemDisabled,
  seccompProfileMissing,
  seccompUnconfined,
  appArmorUnconfined,
  procMountUnmasked,
  unsafeSysctls,
  seLinuxCustomOptions,
  imageTagMissingOrLatest,
  imageNotPinnedByDigest,
  imagePullPolicyNotAlways,
  imageSignatureInvalid,
  imageSignaturePolicyMismatch,
  imageUnsigned,
  imageSignatureNotChecked,
  serviceAccountTokenAutomounted,
  defaultServiceAccountUsed,
  legacyServiceAccountToken,
  legacyTokenReferenced,
  projectedTokenLongLived,
  fsGroupNotApplied,
  fsGroupRecursiveChange,
  fsGroupRoot,
  fsGroupMissing,
  psaEnforceMissing,
  psaEnforcePrivileged,
  psaVersionUnpinned,
  psaEnforcedLevelViolated,
  psaWarnLevelViolated,
  admissionWouldDeny,
  admissionAuditOnly,
  admissionUnknown,
  admissionSignedImagesNotRequired,
  admissionPolicyTypeWarnings,
  admissionFeatureDisabled,
];

export function getCheck(id: string): Check | undefined {
  return ALL_CHECKS.find(check => check.id === id);
}

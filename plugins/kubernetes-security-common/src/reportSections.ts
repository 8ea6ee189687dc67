/**
 * The report's sections beyond workload hardening: image signatures, tokens,
 * storage, admission and the cluster panel. Each is optional on a report, so
 * reports stored before a section existed stay readable; an absent section
 * means "not collected", never "nothing found".
 */
import type { ScanError } from './scanError';

/** A workload a section entry refers to. */
export interface WorkloadRef {
  kind: string;
  namespace: string;
  name: string;
}

// ---------------------------------------------------------------------------
// Image signatures (sigstore, KEP-3031)
// ---------------------------------------------------------------------------

/** Kept distinct end to end: "unsigned" is never "could not check". */
export type ImageSignatureState =
  | 'verified'
  | 'policy-mismatch'
  | 'unsigned'
  | 'invalid-signature'
  | 'unverifiable'
  | 'registry-auth-failed'
  | 'registry-unreachable'
  /** The backend's registry access settings forbade a request it needed. */
  | 'registry-refused'
  | 'digest-unknown';

export const IMAGE_SIGNATURE_STATES: ImageSignatureState[] = [
  'verified',
  'policy-mismatch',
  'unsigned',
  'invalid-signature',
  'unverifiable',
  'registry-auth-failed',
  'registry-unreachable',
  'registry-refused',
  'digest-unknown',
];

/** One signature found for an image, whether or not it verified. */
export interface ImageSignature {
  /** `legacy`: cosign `sha256-<hex>.sig` tag; `bundle`: sigstore bundle via OCI referrers (or its tag fallback). */
  format: 'legacy' | 'bundle';
  /** The artifact holding it (the `.sig` manifest or the bundle manifest). */
  artifactDigest?: string;
  /** Keyless: the certificate's SAN (email or URI). */
  identity?: string;
  /** Keyless: the certificate's OIDC issuer extension. */
  issuer?: string;
  /** Keyed: a fingerprint of the public key. */
  keyId?: string;
  /** Transparency log entry, when there is one. */
  logIndex?: number;
  integratedTime?: string;
  /** It verified cryptographically and matched an authority of the policy. */
  accepted: boolean;
  /** Why it was not accepted. */
  reason?: string;
}

export interface ImageVerification {
  /** The reference as written in the pod spec. */
  image: string;
  /** The digest that was verified. */
  digest?: string;
  /** Where the digest came from; tag resolution may not be what runs. */
  digestSource?: 'image-id' | 'reference' | 'tag-resolution';
  /** The policy applied, e.g. `kubernetes-release`; absent when none matched. */
  policy?: string;
  state: ImageSignatureState;
  /** One sentence a user can act on. */
  reason: string;
  signatures: ImageSignature[];
  verifiedAt: string;
  /** The containers running it, within the report's scope. */
  usedBy: (WorkloadRef & { container: string })[];
}

// ---------------------------------------------------------------------------
// Service-account tokens (KEP-2799)
// ---------------------------------------------------------------------------

export interface LegacyTokenSummary {
  namespace: string;
  name: string;
  createdAt?: string;
  ageDays?: number;
  /** `kubernetes.io/legacy-token-last-used`, YYYY-MM-DD. */
  lastUsed?: string;
  /** Why there is no last-used date, e.g. tracking needs 1.26+ (GA 1.28). */
  lastUsedNote?: string;
  /** `kubernetes.io/legacy-token-invalid-since`, YYYY-MM-DD. */
  invalidSince?: string;
  /** Pods referencing the Secret, as a volume or an env var. */
  mountedBy: (WorkloadRef & { container?: string; via: 'volume' | 'env' })[];
}

export interface ServiceAccountUsage {
  namespace: string;
  name: string;
  /** The workloads of the report running as it. */
  workloads: WorkloadRef[];
  /** The ServiceAccount's own `automountServiceAccountToken`, if set. */
  automountOnServiceAccount?: boolean;
  /** Workloads that end up with a token mounted (the Pod's value wins). */
  automountedIn: WorkloadRef[];
  /**
   * RoleBindings/ClusterRoleBindings naming this ServiceAccount; `unknown`
   * when the plugin may not list bindings.
   */
  rbacBindings: number | 'unknown';
  legacyTokens: LegacyTokenSummary[];
  /** Projected token volumes with their lifetime, in seconds. */
  projectedTokens: (WorkloadRef & {
    volume: string;
    expirationSeconds: number;
  })[];
}

// ---------------------------------------------------------------------------
// Storage: CSI fsGroup handling (KEP-2317)
// ---------------------------------------------------------------------------

export type FsGroupOutcome =
  /** Ownership changed recursively on every mount (`Always`). */
  | 'applied-recursively'
  /** Applied only when the root's ownership does not match (`OnRootMismatch`). */
  | 'applied-on-mismatch'
  /** The pod sets fsGroup but the kubelet does not apply it to this volume. */
  | 'not-applied'
  /** The pod sets no fsGroup. */
  | 'no-fs-group'
  /** Driver or volume could not be read. */
  | 'unknown';

export interface VolumeFsGroupResult {
  workload: WorkloadRef;
  volume: string;
  source: 'persistentVolumeClaim' | 'csi' | 'ephemeral';
  claim?: string;
  persistentVolume?: string;
  driver?: string;
  /** The CSIDriver's policy; `ReadWriteOnceWithFSType` when unset. */
  fsGroupPolicy?: 'None' | 'File' | 'ReadWriteOnceWithFSType';
  accessModes?: string[];
  fsType?: string;
  fsGroup?: number;
  fsGroupChangePolicy?: 'Always' | 'OnRootMismatch';
  outcome: FsGroupOutcome;
  /** For `no-fs-group`: whether the kubelet would apply one if the pod set it. */
  fsGroupWouldApply?: boolean;
  reason: string;
}

// ---------------------------------------------------------------------------
// Admission coverage (KEP-3488 and other controllers)
// ---------------------------------------------------------------------------

export type AdmissionMechanism =
  | 'pod-security-admission'
  | 'validating-admission-policy'
  | 'kyverno'
  | 'gatekeeper'
  | 'policy-controller';

/** What a control does when it objects. */
export type AdmissionAction = 'deny' | 'warn' | 'audit';

/** The questions the coverage matrix answers for each namespace. */
export type AdmissionRequirement =
  | 'signed-images'
  | 'privileged-blocked'
  | 'host-namespaces-blocked'
  | 'pod-security-level';

export interface AdmissionControl {
  mechanism: AdmissionMechanism;
  /** The policy, e.g. a VAP, Kyverno policy or Gatekeeper constraint. */
  name: string;
  /** For VAPs, the binding; for Gatekeeper, the constraint's kind. */
  binding?: string;
  actions: AdmissionAction[];
  /** Which requirements it addresses. */
  requirements: AdmissionRequirement[];
  /** E.g. `restricted` for a Pod Security level. */
  detail?: string;
}

export interface AdmissionCoverageCell {
  requirement: AdmissionRequirement;
  /** The strongest action among the controls covering it; absent when none does. */
  strongestAction?: AdmissionAction;
  controls: {
    mechanism: AdmissionMechanism;
    name: string;
    action: AdmissionAction;
  }[];
}

export interface NamespaceAdmissionCoverage {
  namespace: string;
  cells: AdmissionCoverageCell[];
}

/**
 * A dry run of one policy against one live object. A simulation: `authorizer`
 * checks are not reproduced, and an expression over its CEL cost budget is
 * `unknown`.
 */
export type AdmissionOutcome =
  | 'would-pass'
  | 'would-be-denied'
  | 'would-warn'
  | 'would-audit'
  /** The policy applies but is not enforced (e.g. Audit only, or the feature is off). */
  | 'not-enforced'
  /** The expression could not be evaluated here (e.g. unsupported function). */
  | 'unknown';

export interface AdmissionEvaluation {
  mechanism: AdmissionMechanism;
  policy: string;
  binding?: string;
  /** The object evaluated: a pod template as a CREATE'd Pod, or the workload. */
  object: WorkloadRef & { evaluatedAs: 'Pod' | 'workload' };
  outcome: AdmissionOutcome;
  actions: AdmissionAction[];
  /** The validation's message or messageExpression result. */
  message?: string;
  /** For `unknown`: why (e.g. `unsupported function url()`). */
  reason?: string;
  expression?: string;
}

export interface AdmissionReport {
  /** The mechanisms the cluster serves, from discovery. */
  served: { mechanism: AdmissionMechanism; version?: string }[];
  /** Controls that apply to the report's namespaces. */
  controls: AdmissionControl[];
  coverage: NamespaceAdmissionCoverage[];
  evaluations: AdmissionEvaluation[];
  /** Non-fatal problems, e.g. a params object that could not be read. */
  errors: ScanError[];
}

// ---------------------------------------------------------------------------
// Cluster panel (one per cluster, shown with every report from it)
// ---------------------------------------------------------------------------

export type SecurityFeatureId =
  | 'release-signing'
  | 'validating-admission-policy'
  | 'csi-fsgroup-delegation'
  | 'self-subject-review'
  | 'legacy-token-cleanup'
  | 'windows-host-process';

export type FeatureStage =
  | 'ga'
  | 'beta'
  | 'alpha'
  | 'not-available'
  | 'unknown';

export interface ClusterFeature {
  id: SecurityFeatureId;
  title: string;
  /** e.g. `KEP-3031`. */
  kep: string;
  docs: string;
  stage: FeatureStage;
  /** What this means on this cluster, e.g. "served at v1alpha1 (gate on)". */
  note: string;
}

export interface ClusterIdentity {
  username: string;
  uid?: string;
  groups: string[];
  /** The API that answered, e.g. `authentication.k8s.io/v1 SelfSubjectReview`. */
  source: string;
}

export interface PermissionCheck {
  verb: string;
  /** `group/resource`, or `resource` for the core group. */
  resource: string;
  namespace?: string;
  allowed: boolean;
  /** The report data that goes missing without it. */
  neededFor: string;
}

export interface ClusterStatus {
  cluster: string;
  gitVersion?: string;
  version?: { major: number; minor: number };
  /** Upstream support of the minor version on the day of the scan. */
  support?: {
    status: 'supported' | 'maintenance' | 'end-of-life' | 'unknown';
    endOfLife?: string;
  };
  features: ClusterFeature[];
  /** Who the plugin is, or why that cannot be told. */
  identity?: ClusterIdentity;
  identityUnavailableReason?: string;
  permissions: PermissionCheck[];
  /** A ClusterRole granting exactly the missing permissions, as YAML. */
  missingPermissionsClusterRole?: string;
  /** Windows nodes by name, from `kubernetes.io/os`; absent when nodes could not be listed. */
  windowsNodes?: string[];
  /** Control-plane and add-on images in kube-system against `kubernetes-release`. */
  releaseImages?: ImageVerification[];
  attemptedAt?: string;
  succeededAt?: string;
  durationMs?: number;
  errors: ScanError[];
}

import type { AdmissionCheckContext } from '../admission/checkContext';
import type { KubeObject, PodTemplateSpec } from '../kubernetes';
import type { WorkloadKind } from '../kubernetes';
import type { ImageVerification, VolumeFsGroupResult } from '../reportSections';

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

export const SEVERITIES: Severity[] = [
  'critical',
  'high',
  'medium',
  'low',
  'info',
];

/** Which part of the product a check belongs to; scores are capped per area. */
export type CheckArea =
  | 'workload-hardening'
  | 'host-access'
  | 'images'
  | 'service-accounts'
  | 'pod-security-admission'
  | 'image-signatures'
  | 'storage'
  | 'admission';

/**
 * The same control in established catalogues, so users can map findings to
 * the frameworks they report against. Only set where the control really is
 * the same.
 */
export interface CheckEquivalents {
  /** Polaris check id, e.g. `privilegeEscalationAllowed`. */
  polaris?: string;
  /** Kubescape control id, e.g. `C-0057`. */
  kubescape?: string;
  /** Pod Security Standards control and the level that forbids it. */
  pss?: { control: string; level: 'baseline' | 'restricted' };
  /** CIS Kubernetes Benchmark item, e.g. `5.2.2`. */
  cis?: string;
}

export interface CheckMetadata {
  /** Stable, kebab-case; never reused for another meaning. */
  id: string;
  title: string;
  severity: Severity;
  area: CheckArea;
  /** Why it matters, in one or two sentences. */
  rationale: string;
  remediation: {
    text: string;
    /** A YAML snippet showing the fix. */
    yaml: string;
  };
  /** The Kubernetes documentation page or KEP behind the check. */
  docs: string;
  equivalents: CheckEquivalents;
}

/** Identifies the object a finding is about. */
export interface ObjectReference {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export interface Finding {
  checkId: string;
  severity: Severity;
  area: CheckArea;
  object: ObjectReference;
  /** The container the finding is about, if any. */
  container?: string;
  message: string;
  /** Field path in the object, e.g. `spec.template.spec.containers[0].securityContext.privileged`. */
  path: string;
  /** The offending value as found, e.g. `true` or `["SYS_ADMIN"]`. */
  evidence?: string;
  /**
   * This finding's own fix as YAML, written for its object: a strategic
   * merge patch from the object's root (`kubectl patch --type strategic`),
   * so the change sits at the finding's real path, or an object named by
   * its apiVersion, kind and metadata (the binding of the policy that
   * objects). A `<placeholder>` marks what only the owner knows (an image
   * digest). Absent where the fix is not a change of cluster objects (a
   * signature, a release pipeline); the check's `remediation.yaml` then
   * shows an example.
   */
  fix?: string;
}

/** What a check returns; the runner adds check metadata and the object. */
export type FindingDraft = Pick<Finding, 'message' | 'path'> &
  Partial<Pick<Finding, 'container' | 'evidence' | 'fix'>>;

export interface ClusterVersion {
  major: number;
  minor: number;
}

/** A workload as checks see it: one finding per workload, not per replica. */
export interface WorkloadUnderCheck {
  kind: WorkloadKind;
  object: KubeObject;
  template: PodTemplateSpec;
  /** Path of the pod spec in the object, e.g. `spec.template.spec`, or `spec` for a Pod. */
  podSpecPath: string;
}

export interface WorkloadCheckContext {
  workload: WorkloadUnderCheck;
  /** The workload's Namespace object, when it could be read. */
  namespace?: KubeObject;
  /** The ServiceAccount the pods run as, when it could be read. */
  serviceAccount?: KubeObject;
  /**
   * Legacy `kubernetes.io/service-account-token` Secrets of the workload's
   * namespace, metadata only (never their values).
   */
  legacyTokens?: KubeObject[];
  /**
   * RoleBindings and ClusterRoleBindings naming the workload's ServiceAccount;
   * `unknown` when bindings could not be listed.
   */
  serviceAccountBindings?: number | 'unknown';
  /** The workload's CSI-backed volumes with what happens to their fsGroup. */
  volumes?: VolumeFsGroupResult[];
  /** Signature verification of the images the workload runs, when checked. */
  images?: ImageVerification[];
  clusterVersion?: ClusterVersion;
}

export interface NamespaceCheckContext {
  namespace: KubeObject;
  clusterVersion?: ClusterVersion;
}

export interface WorkloadCheck extends CheckMetadata {
  scope: 'workload';
  run(context: WorkloadCheckContext): FindingDraft[];
}

export interface NamespaceCheck extends CheckMetadata {
  scope: 'namespace';
  run(context: NamespaceCheckContext): FindingDraft[];
}

/** Runs on the admission assessment of a workload or namespace, not on a pod spec. */
export interface AdmissionCheck extends CheckMetadata {
  scope: 'admission';
  run(context: AdmissionCheckContext): FindingDraft[];
}

export type Check = WorkloadCheck | NamespaceCheck | AdmissionCheck;

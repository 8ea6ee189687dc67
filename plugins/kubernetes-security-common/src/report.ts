/**
 * The report model served by the backend and shown by the frontend. Stable
 * JSON: fields are only ever added.
 */
import type { Finding } from './checks/types';
import type { WorkloadKind } from './kubernetes';
import type { ScanError } from './scanError';
import type { Grade, ScoreExplanation } from './scoreModel';
import type {
  AdmissionReport,
  ClusterStatus,
  ImageVerification,
  ServiceAccountUsage,
  VolumeFsGroupResult,
} from './reportSections';

export type ContainerType = 'container' | 'init' | 'ephemeral';

export interface WorkloadContainer {
  name: string;
  type: ContainerType;
  image: string;
}

export interface WorkloadPod {
  name: string;
  phase?: string;
  nodeName?: string;
  /** Digest-qualified image references actually running, per container. */
  images: { container: string; image?: string; imageID?: string }[];
}

export interface WorkloadSummary {
  kind: WorkloadKind;
  apiVersion: string;
  namespace: string;
  name: string;
  uid?: string;
  labels: Record<string, string>;
  serviceAccountName: string;
  containers: WorkloadContainer[];
  pods: WorkloadPod[];
  replicas?: { desired?: number; ready?: number };
  /** Findings of the workload itself (its namespace's are on the namespace). */
  findings: Finding[];
  /** Scored over the workload's findings and its namespace's. */
  score: ScoreExplanation;
}

export interface NamespaceSummary {
  name: string;
  /** The `pod-security.kubernetes.io/*` labels, as set. */
  podSecurityLabels: Record<string, string>;
  findings: Finding[];
}

/** The weakest workload decides an entity's score. */
export interface EntityScore {
  score: number;
  grade: Grade;
  cluster: string;
  workload: { kind: WorkloadKind; namespace: string; name: string };
  explanation: ScoreExplanation;
}

export interface ClusterReport {
  cluster: string;
  /** When the data shown was collected. */
  scannedAt: string;
  /** When the last attempt ran; later than `scannedAt` if that attempt failed. */
  attemptedAt: string;
  /** The last attempt failed: the data is from `scannedAt` and may be outdated. */
  stale: boolean;
  staleReason?: string;
  /** The entity's selector as applied, e.g. `backstage.io/kubernetes-id=ledger`. */
  labelSelector: string;
  namespace?: string;
  workloads: WorkloadSummary[];
  /** The namespaces the workloads run in. */
  namespaces: NamespaceSummary[];
  /** Partial data: what could not be read, and why. */
  errors: ScanError[];
  /** Signature verification of every image the workloads run. */
  images?: ImageVerification[];
  /** The ServiceAccounts the workloads run as, with their tokens. */
  serviceAccounts?: ServiceAccountUsage[];
  /** How fsGroup is handled on each CSI-backed volume. */
  storage?: VolumeFsGroupResult[];
  /** Which admission controls cover the namespaces, and dry-run outcomes. */
  admission?: AdmissionReport;
}

export interface EntityReport {
  entityRef: string;
  /** Absent while no workload has been found. */
  score?: EntityScore;
  clusters: ClusterReport[];
  /** Problems with the entity itself, e.g. a malformed selector annotation. */
  errors: ScanError[];
  /** The panel of each cluster the entity was scanned in. */
  clusterStatus?: ClusterStatus[];
}

export interface EntityReportSummary {
  entityRef: string;
  clusters: string[];
  workloadCount: number;
  score?: number;
  grade?: Grade;
  lastScannedAt?: string;
  stale: boolean;
  errorCount: number;
}

/** A cluster's last scan attempt, as `GET /v1/clusters` lists it. */
export interface ClusterScanSummary {
  cluster: string;
  attemptedAt: string;
  /** Absent when the attempt failed: the reports shown are older. */
  succeededAt?: string;
  errors: ScanError[];
  durationMs: number;
  entityCount: number;
  workloadCount: number;
  /** The API server's `/version` gitVersion. */
  gitVersion?: string;
  /** The cluster panel of this attempt. */
  status?: ClusterStatus;
}

/** A configuration problem of the cluster locators, e.g. a refused URL. */
export interface ClusterConfigurationProblem {
  /** The cluster it concerns; absent when a whole locator method failed. */
  cluster?: string;
  message: string;
  /** The locator method that found it, e.g. `config`, `catalog` or `gke`. */
  locator?: string;
  /** The `kubernetes-cluster` Resource to fix, for catalog-located clusters. */
  entityRef?: string;
}

/** The answer of `GET /v1/clusters`: the clusters the caller may see. */
export interface ClusterListResponse {
  items: { name: string; title?: string; lastScan?: ClusterScanSummary }[];
  problems: ClusterConfigurationProblem[];
}

/**
 * The few shapes of Kubernetes JSON this plugin reads, as plain objects (the
 * API server's JSON and parsed YAML manifests alike). Only the fields used are
 * typed; everything else passes through untouched.
 */

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
}

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  creationTimestamp?: string;
  resourceVersion?: string;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [field: string]: unknown;
}

export interface Container {
  name: string;
  image?: string;
  imagePullPolicy?: string;
  [field: string]: unknown;
}

export interface PodSpec {
  containers?: Container[];
  initContainers?: Container[];
  ephemeralContainers?: Container[];
  serviceAccountName?: string;
  nodeName?: string;
  [field: string]: unknown;
}

export interface PodTemplateSpec {
  metadata?: ObjectMeta;
  spec?: PodSpec;
}

export interface ContainerStatus {
  name: string;
  image?: string;
  imageID?: string;
  ready?: boolean;
  restartCount?: number;
}

export interface Pod extends KubeObject {
  spec?: PodSpec;
  status?: {
    phase?: string;
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
    ephemeralContainerStatuses?: ContainerStatus[];
  };
}

/** Deployment, StatefulSet, DaemonSet, ReplicaSet and Job share this shape. */
export interface PodController extends KubeObject {
  spec?: {
    replicas?: number;
    template?: PodTemplateSpec;
    [field: string]: unknown;
  };
  status?: {
    readyReplicas?: number;
    numberReady?: number;
    [field: string]: unknown;
  };
}

export interface CronJob extends KubeObject {
  spec?: {
    jobTemplate?: { spec?: { template?: PodTemplateSpec } };
    [field: string]: unknown;
  };
}

/** The workload kinds a report names. */
export type WorkloadKind =
  | 'Deployment'
  | 'StatefulSet'
  | 'DaemonSet'
  | 'ReplicaSet'
  | 'Job'
  | 'CronJob'
  | 'Pod';

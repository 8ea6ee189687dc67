import type { FaultAnswer } from './faults';

/** The parts of `metadata` the simulator reads or fills in; everything else is kept as given. */
export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  [field: string]: unknown;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** Any Kubernetes object, built-in or custom. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** Identifies one stored object. `namespace` defaults to `default` for namespaced kinds. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

/**
 * An RBAC PolicyRule. `namespaces` is a simulator extension standing in for a
 * RoleBinding: when present the rule only applies to requests in those
 * namespaces (`'*'` = any namespace, never the cluster scope); when absent it
 * applies everywhere, as a ClusterRoleBinding would.
 */
export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
  namespaces?: string[];
}

/** A bearer token the simulated cluster accepts, and what its holder may do. */
export interface TokenGrant {
  token: string;
  username: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
  rules: PolicyRule[];
}

/** One request the simulated cluster answered, for tests and benchmarks to inspect. */
export interface RequestLogEntry {
  method: string;
  path: string;
  query: Record<string, string>;
  accept: string;
  username?: string;
  /** 0 when no answer was sent (a stalled or dropped request). */
  status: number;
  /** Milliseconds since the epoch when the request arrived. */
  timestamp: number;
  /** The injected fault that answered the request, if any. */
  fault?: FaultAnswer['type'];
}

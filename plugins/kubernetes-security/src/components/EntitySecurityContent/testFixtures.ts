/**
 * Realistic reports for component tests: a Deployment with a privileged
 * container in prod (every optional section collected) and an unreachable
 * staging cluster whose report predates the sections.
 */
import type {
  ClusterReport,
  ClusterStatus,
  EntityReport,
  Finding,
} from '@internal/plugin-kubernetes-security-common';
import { scoreFindings } from '@internal/plugin-kubernetes-security-common';

export const minutesAgo = (n: number) =>
  new Date(Date.now() - n * 60_000).toISOString();

const ledger = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  namespace: 'payments',
  name: 'ledger-api',
};

export const privileged: Finding = {
  checkId: 'privileged-container',
  severity: 'critical',
  area: 'host-access',
  object: ledger,
  container: 'api',
  message: 'Container "api" runs privileged',
  path: 'spec.template.spec.containers[0].securityContext.privileged',
  evidence: 'true',
};
export const rootUser: Finding = {
  checkId: 'run-as-user-root',
  severity: 'high',
  area: 'workload-hardening',
  object: ledger,
  container: 'api',
  message: 'Container "api" runs as UID 0',
  path: 'spec.template.spec.containers[0].securityContext.runAsUser',
  evidence: '0',
};
/** A check newer than this build's catalogue. */
export const unknownCheck: Finding = {
  checkId: 'future-check-from-tomorrow',
  severity: 'medium',
  area: 'storage',
  object: ledger,
  message: 'Volume "data" is group-writable by everyone',
  path: 'spec.template.spec.volumes[0]',
};
export const psaMissing: Finding = {
  checkId: 'psa-enforce-missing',
  severity: 'medium',
  area: 'pod-security-admission',
  object: { apiVersion: 'v1', kind: 'Namespace', name: 'payments' },
  message: 'Namespace "payments" enforces no Pod Security level',
  path: 'metadata.labels',
};

const workloadFindings = [privileged, rootUser, unknownCheck];
const score = scoreFindings([...workloadFindings, psaMissing]);

export const prodReport: ClusterReport = {
  cluster: 'prod',
  scannedAt: minutesAgo(3),
  attemptedAt: minutesAgo(3),
  stale: false,
  labelSelector: 'backstage.io/kubernetes-id=ledger',
  workloads: [
    {
      ...ledger,
      kind: 'Deployment',
      labels: {},
      serviceAccountName: 'ledger',
      containers: [
        {
          name: 'api',
          type: 'container',
          image: 'registry.example.com/ledger:1.4.2',
        },
      ],
      pods: [],
      replicas: { desired: 3, ready: 2 },
      findings: workloadFindings,
      score,
    },
  ],
  namespaces: [
    { name: 'payments', podSecurityLabels: {}, findings: [psaMissing] },
  ],
  errors: [
    {
      type: 'FORBIDDEN',
      resource: 'batch/cronjobs',
      statusCode: 403,
      message: 'cronjobs is forbidden',
    },
  ],
  images: [
    {
      image: 'registry.example.com/ledger:1.4.2',
      digest:
        'sha256:4f1e9d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e',
      digestSource: 'image-id',
      policy: 'payments-keyless',
      state: 'verified',
      reason: 'Signed by the release workflow of payments/ledger.',
      signatures: [
        {
          format: 'bundle',
          identity:
            'https://github.com/example/ledger/.github/workflows/release.yaml@refs/tags/v1.4.2',
          issuer: 'https://token.actions.githubusercontent.com',
          logIndex: 123456789,
          accepted: true,
        },
      ],
      verifiedAt: minutesAgo(3),
      usedBy: [{ ...ledger, container: 'api' }],
    },
    {
      image: 'docker.io/library/busybox:latest',
      state: 'registry-unreachable',
      reason: 'docker.io did not answer within 10 s; the signature is unknown.',
      signatures: [],
      verifiedAt: minutesAgo(3),
      usedBy: [{ ...ledger, container: 'init-perms' }],
    },
  ],
  serviceAccounts: [
    {
      namespace: 'payments',
      name: 'ledger',
      workloads: [ledger],
      automountOnServiceAccount: true,
      automountedIn: [ledger],
      rbacBindings: 2,
      legacyTokens: [
        {
          namespace: 'payments',
          name: 'ledger-token-x7k2p',
          lastUsed: '2026-10-02',
          mountedBy: [{ ...ledger, container: 'api', via: 'env' }],
        },
      ],
      projectedTokens: [
        { ...ledger, volume: 'bank-token', expirationSeconds: 172_800 },
      ],
    },
  ],
  storage: [
    {
      workload: ledger,
      volume: 'data',
      source: 'persistentVolumeClaim',
      claim: 'ledger-data',
      driver: 'ebs.csi.aws.com',
      fsGroupPolicy: 'File',
      fsGroup: 2000,
      fsGroupChangePolicy: 'Always',
      outcome: 'applied-recursively',
      reason: 'The kubelet changes ownership of every file on each mount.',
    },
  ],
  admission: {
    served: [{ mechanism: 'validating-admission-policy', version: 'v1' }],
    controls: [
      {
        mechanism: 'validating-admission-policy',
        name: 'deny-privileged',
        binding: 'deny-privileged-binding',
        actions: ['deny'],
        requirements: ['privileged-blocked'],
      },
    ],
    coverage: [
      {
        namespace: 'payments',
        cells: [
          {
            requirement: 'privileged-blocked',
            strongestAction: 'deny',
            controls: [
              {
                mechanism: 'validating-admission-policy',
                name: 'deny-privileged',
                action: 'deny',
              },
            ],
          },
          { requirement: 'signed-images', controls: [] },
        ],
      },
    ],
    evaluations: [
      {
        mechanism: 'validating-admission-policy',
        policy: 'deny-privileged',
        binding: 'deny-privileged-binding',
        object: { ...ledger, evaluatedAs: 'Pod' },
        outcome: 'would-be-denied',
        actions: ['deny'],
        message: 'privileged containers are not allowed',
      },
    ],
    errors: [],
  },
};

/** Unreachable, and from before the optional sections existed. */
export const stagingReport: ClusterReport = {
  cluster: 'staging',
  scannedAt: minutesAgo(120),
  attemptedAt: minutesAgo(1),
  stale: true,
  staleReason: 'Cannot reach 127.0.0.1:6552: ECONNREFUSED',
  labelSelector: 'backstage.io/kubernetes-id=ledger',
  workloads: [],
  namespaces: [],
  errors: [],
};

export const prodStatus: ClusterStatus = {
  cluster: 'prod',
  gitVersion: 'v1.30.1',
  version: { major: 1, minor: 30 },
  support: { status: 'supported', endOfLife: '2025-06-28' },
  features: [
    {
      id: 'validating-admission-policy',
      title: 'ValidatingAdmissionPolicy',
      kep: 'KEP-3488',
      docs: 'https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/',
      stage: 'ga',
      note: 'served at admissionregistration.k8s.io/v1',
    },
  ],
  identity: {
    username: 'system:serviceaccount:backstage:kubernetes-security',
    groups: ['system:serviceaccounts'],
    source: 'authentication.k8s.io/v1 SelfSubjectReview',
  },
  permissions: [
    {
      verb: 'list',
      resource: 'batch/cronjobs',
      allowed: false,
      neededFor: 'CronJob workloads',
    },
    { verb: 'list', resource: 'pods', allowed: true, neededFor: 'pods' },
  ],
  missingPermissionsClusterRole: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: kubernetes-security-missing
rules:
  - apiGroups: [batch]
    resources: [cronjobs]
    verbs: [list]`,
  errors: [],
};

export const report: EntityReport = {
  entityRef: 'component:default/ledger',
  errors: [],
  score: {
    score: score.score,
    grade: score.grade,
    cluster: 'prod',
    workload: { kind: 'Deployment', namespace: 'payments', name: 'ledger-api' },
    explanation: score,
  },
  clusters: [prodReport, stagingReport],
  clusterStatus: [prodStatus],
};

/** The same entity scanned before any optional section existed. */
export const reportWithoutSections: EntityReport = {
  ...report,
  clusters: [
    {
      ...prodReport,
      images: undefined,
      serviceAccounts: undefined,
      storage: undefined,
      admission: undefined,
    },
  ],
  clusterStatus: undefined,
};

/**
 * The same Deployment in prod and in a reachable staging: the privileged
 * container is reported by both, the root user only by staging, whose
 * image tag (and so the evidence of the tag finding) differs.
 */
const latestTag = (cluster: string): Finding => ({
  checkId: 'image-tag-missing-or-latest',
  severity: 'medium',
  area: 'images',
  object: ledger,
  container: 'api',
  message: `Container "api" runs image ledger:${cluster}-latest`,
  path: 'spec.template.spec.containers[0].image',
  evidence: `registry.example.com/ledger:${cluster}-latest`,
});
const inStaging = [privileged, rootUser, latestTag('staging')];
export const twoClusterReport: EntityReport = {
  ...report,
  clusters: [
    {
      ...prodReport,
      errors: [],
      workloads: [
        {
          ...prodReport.workloads[0],
          findings: [privileged, latestTag('prod')],
          score: scoreFindings([privileged, latestTag('prod')]),
        },
      ],
      namespaces: [],
    },
    {
      ...prodReport,
      cluster: 'staging',
      errors: [],
      workloads: [
        {
          ...prodReport.workloads[0],
          findings: inStaging,
          score: scoreFindings(inStaging),
        },
      ],
      namespaces: [],
    },
  ],
  clusterStatus: [],
};

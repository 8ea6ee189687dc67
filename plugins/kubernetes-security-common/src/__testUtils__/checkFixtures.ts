import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { admissionInventoryFromManifests } from '../admission';
import { assessCluster, wholeClusterSelection } from '../assessment';
import type { Check, ClusterVersion, Finding } from '../checks/types';
import { clusterContextFromObjects } from '../clusterObjects';
import type { KubeObject } from '../kubernetes';
import type { ClusterReport } from '../report';
import type { WorkloadKind } from '../kubernetes';
import type { ImageVerification } from '../reportSections';
import { podTemplateOf, type Workload } from '../workloads';

/*
 * Every check has fixtures beside it in fixtures/<check id>/: each subject in
 * fail.yaml must produce at least one finding of that check (exactly N with
 * the annotation below), and no subject in pass.yaml may produce any.
 * Namespace, ServiceAccount, token Secret, RBAC binding and storage objects
 * in a file are context for its workloads.
 */
export const EXPECTED_FINDINGS =
  'test.kubernetes-security.io/expected-findings';
const WORKLOAD_KINDS = new Set([
  'Pod',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
]);
const CLUSTER_VERSION = 'test.kubernetes-security.io/cluster-version';
/**
 * Signature verification results the scan would have produced, as JSON:
 * `[{ "container", "image", "state", "reason", "policy"?, "signatures"? }]`.
 */
const IMAGE_VERIFICATIONS = 'test.kubernetes-security.io/image-verifications';

function imageVerificationsOf(
  subject: KubeObject,
  kind: WorkloadKind,
): ImageVerification[] | undefined {
  const json = subject.metadata?.annotations?.[IMAGE_VERIFICATIONS];
  if (!json) return undefined;
  const entries: (Omit<
    ImageVerification,
    'usedBy' | 'verifiedAt' | 'signatures'
  > & {
    container: string;
    signatures?: ImageVerification['signatures'];
  })[] = JSON.parse(json);
  return entries.map(({ container, signatures, ...entry }) => ({
    ...entry,
    signatures: signatures ?? [],
    verifiedAt: '2026-11-27T00:00:00Z',
    usedBy: [
      {
        kind,
        namespace: subject.metadata?.namespace ?? 'default',
        name: subject.metadata?.name ?? '',
        container,
      },
    ],
  }));
}

/** The fixture files of a check: `fixtures/<check id>/{fail,pass}.yaml`. */
export function fixtureFile(checkId: string, kind: 'fail' | 'pass'): string {
  return join(__dirname, '../checks/fixtures', checkId, `${kind}.yaml`);
}

export function loadObjects(file: string): KubeObject[] {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map(doc => doc.toJS() as KubeObject)
    .filter(Boolean);
}

function clusterVersionOf(subject: KubeObject) {
  const version = subject.metadata?.annotations?.[CLUSTER_VERSION];
  if (!version) return undefined;
  const [major, minor] = version.split('.').map(Number);
  return { major, minor };
}

/** A subject as the fixtures mean it: the object alone, without the pods a cluster would add. */
function asWorkload(object: KubeObject): Workload {
  const kind = object.kind as WorkloadKind;
  return {
    kind,
    object,
    template: podTemplateOf(kind, object),
    pods: [],
    labelSets: [],
  };
}

/**
 * Assesses the file as one cluster with only this check, as a scan would:
 * its Namespace, ServiceAccount, token Secret, RBAC binding and storage
 * objects are context, its policies and params the admission controls.
 */
function assessFile(
  objects: KubeObject[],
  workloads: Workload[],
  clusterVersion: ClusterVersion | undefined,
  check: Check,
  images?: ImageVerification[],
): ClusterReport {
  const snapshot = {
    cluster: 'fixture',
    scannedAt: '2026-11-27T00:00:00Z',
    workloads,
    context: { ...clusterContextFromObjects(objects), clusterVersion },
    admission: admissionInventoryFromManifests(
      objects.filter(
        o => o.kind !== 'Namespace' && !WORKLOAD_KINDS.has(o.kind ?? ''),
      ),
      clusterVersion,
    ),
    errors: [],
  };
  const [{ report }] = assessCluster(
    snapshot,
    [wholeClusterSelection(snapshot, 'fixture')],
    {
      checks: [check],
      ...(images
        ? { images: { results: images, entityErrors: new Map() } }
        : {}),
    },
  );
  return report;
}

function namespaceFindings(
  report: ClusterReport,
  subject: KubeObject,
): Finding[] {
  return report.namespaces.find(
    ns => ns.name === (subject.metadata?.name ?? ''),
  )!.findings;
}

/**
 * Subjects are the file's workloads, each with its own cluster version and
 * image verifications, or its Namespaces for namespace checks. Admission
 * checks see the file's workloads together, or its Namespaces when it has
 * none, with the first cluster version a Namespace names.
 */
export function fixtureSubjects(
  objects: KubeObject[],
  check: Check,
): { subject: KubeObject; findings: Finding[] }[] {
  const namespaces = objects.filter(o => o.kind === 'Namespace');
  const workloads = objects.filter(o => WORKLOAD_KINDS.has(o.kind ?? ''));
  if (check.scope === 'admission') {
    const report = assessFile(
      objects,
      workloads.map(asWorkload),
      namespaces.map(clusterVersionOf).find(Boolean),
      check,
    );
    return workloads.length > 0
      ? workloads.map((subject, index) => ({
          subject,
          findings: report.workloads[index].findings,
        }))
      : namespaces.map(subject => ({
          subject,
          findings: namespaceFindings(report, subject),
        }));
  }
  if (check.scope === 'namespace') {
    return namespaces.map(subject => ({
      subject,
      findings: namespaceFindings(
        assessFile(objects, [], clusterVersionOf(subject), check),
        subject,
      ),
    }));
  }
  return workloads.map(subject => {
    const report = assessFile(
      objects,
      [asWorkload(subject)],
      clusterVersionOf(subject),
      check,
      imageVerificationsOf(subject, subject.kind as WorkloadKind),
    );
    return { subject, findings: report.workloads[0].findings };
  });
}

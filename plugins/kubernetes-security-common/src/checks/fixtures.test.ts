import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../kubernetes';
import type { ImageVerification } from '../reportSections';
import type { WorkloadKind } from '../report';
import { podTemplateOf } from '../workloads';
import { ALL_CHECKS } from './registry';
import { ClusterObjects, clusterContextFromObjects } from '../clusterObjects';
import {
  objectReference,
  runNamespaceChecks,
  runWorkloadChecks,
} from './runChecks';
import type { Check, Finding } from './types';
import { admissionInventoryFromManifests, assessAdmission } from '../admission';

/*
 * Every check has fixtures beside it in fixtures/<check id>/: each subject in
 * fail.yaml must produce at least one finding of that check (exactly N with
 * the annotation below), and no subject in pass.yaml may produce any.
 * Namespace, ServiceAccount, token Secret, RBAC binding and storage objects
 * in a file are context for its workloads.
 */
const EXPECTED_FINDINGS = 'test.kubernetes-security.io/expected-findings';
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

function load(file: string): KubeObject[] {
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

/**
 * Admission checks run on the file as one cluster: its policies and params,
 * Namespaces and workloads. Subjects are the workloads, or the Namespaces
 * when the file has no workloads.
 */
function admissionSubjects(objects: KubeObject[], check: Check) {
  const namespaces = objects.filter(o => o.kind === 'Namespace');
  const workloads = objects
    .filter(o => WORKLOAD_KINDS.has(o.kind ?? ''))
    .map(object => {
      const kind = object.kind as WorkloadKind;
      const template = podTemplateOf(kind, object);
      return { kind, object, template, pods: [], labelSets: [] };
    });
  const clusterVersion = namespaces.map(clusterVersionOf).find(Boolean);
  const assessment = assessAdmission(
    admissionInventoryFromManifests(
      objects.filter(
        o => o.kind !== 'Namespace' && !WORKLOAD_KINDS.has(o.kind ?? ''),
      ),
      clusterVersion,
    ),
    { workloads, namespaces, clusterVersion },
  );
  const own = (findings: Finding[]) =>
    findings.filter(f => f.checkId === check.id);
  return workloads.length > 0
    ? workloads.map(w => ({
        subject: w.object,
        findings: own(assessment.findingsFor(w)),
      }))
    : namespaces.map(subject => ({
        subject,
        findings: own(
          assessment.namespaceFindings(subject.metadata?.name ?? ''),
        ),
      }));
}

function subjects(
  objects: KubeObject[],
  check: Check,
): { subject: KubeObject; findings: Finding[] }[] {
  if (check.scope === 'admission') return admissionSubjects(objects, check);
  if (check.scope === 'namespace') {
    return objects
      .filter(o => o.kind === 'Namespace')
      .map(subject => ({
        subject,
        findings: runNamespaceChecks(subject, clusterVersionOf(subject), [
          check,
        ]),
      }));
  }
  // Context objects (Namespace, ServiceAccount, token Secrets, bindings,
  // storage) are shared by the file's workloads, as on a cluster.
  const context = clusterContextFromObjects(objects);
  return objects
    .filter(o => WORKLOAD_KINDS.has(o.kind ?? ''))
    .map(subject => {
      const kind = subject.kind as WorkloadKind;
      const cluster = new ClusterObjects({
        ...context,
        clusterVersion: clusterVersionOf(subject),
      });
      const findings = runWorkloadChecks(
        {
          ...cluster.workloadContext({
            kind,
            object: subject,
            template: podTemplateOf(kind, subject),
          }),
          images: imageVerificationsOf(subject, kind),
          reference: objectReference(subject, { apiVersion: '', kind }),
        },
        [check],
      );
      return { subject, findings };
    });
}

describe.each(ALL_CHECKS.map(check => [check.id, check] as const))(
  'check %s',
  (id, check) => {
    const dir = join(__dirname, 'fixtures', id);

    it('has complete metadata', () => {
      expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(check.title).not.toBe('');
      expect(check.rationale).not.toBe('');
      expect(check.remediation.text).not.toBe('');
      expect(check.remediation.yaml).not.toBe('');
      expect(check.docs).toMatch(
        /^https:\/\/(kubernetes\.io|github\.com\/kubernetes)\//,
      );
      expect(ALL_CHECKS.filter(other => other.id === id)).toHaveLength(1);
    });

    it('flags every subject of fail.yaml', () => {
      expect(existsSync(join(dir, 'fail.yaml'))).toBe(true);
      const results = subjects(load(join(dir, 'fail.yaml')), check);
      expect(results.length).toBeGreaterThan(0);
      for (const { subject, findings } of results) {
        const name = `${subject.kind}/${subject.metadata?.name}`;
        const expected = subject.metadata?.annotations?.[EXPECTED_FINDINGS];
        const own = findings.filter(f => f.checkId === id && f.path !== '');
        expect({ name, count: expected ? own.length : own.length > 0 }).toEqual(
          {
            name,
            count: expected ? Number(expected) : true,
          },
        );
        for (const finding of own) {
          expect(finding.message).not.toBe('');
          expect(finding.path).toMatch(/^(spec|metadata)/);
        }
      }
    });

    it('passes every subject of pass.yaml', () => {
      expect(existsSync(join(dir, 'pass.yaml'))).toBe(true);
      const results = subjects(load(join(dir, 'pass.yaml')), check);
      expect(results.length).toBeGreaterThan(0);
      for (const { subject, findings } of results) {
        expect({
          name: `${subject.kind}/${subject.metadata?.name}`,
          findings,
        }).toEqual({
          name: `${subject.kind}/${subject.metadata?.name}`,
          findings: [],
        });
      }
    });
  },
);

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../kubernetes';
import type { WorkloadKind } from '../report';
import { podTemplateOf } from '../workloads';
import { ALL_CHECKS } from './registry';
import {
  objectReference,
  runNamespaceChecks,
  runWorkloadChecks,
  workloadUnderCheck,
} from './runChecks';
import type { Check, Finding } from './types';

/*
 * Every check has fixtures beside it in fixtures/<check id>/: each subject in
 * fail.yaml must produce at least one finding of that check (exactly N with
 * the annotation below), and no subject in pass.yaml may produce any.
 * Namespace, ServiceAccount and token Secret objects in a file are context
 * for its workloads.
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

function subjects(
  objects: KubeObject[],
  check: Check,
): { subject: KubeObject; findings: Finding[] }[] {
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
  return objects
    .filter(o => WORKLOAD_KINDS.has(o.kind ?? ''))
    .map(subject => {
      const kind = subject.kind as WorkloadKind;
      const namespaceName = subject.metadata?.namespace ?? 'default';
      const saName =
        (podTemplateOf(kind, subject).spec?.serviceAccountName as
          | string
          | undefined) || 'default';
      const findings = runWorkloadChecks(
        {
          workload: workloadUnderCheck({
            kind,
            object: subject,
            template: podTemplateOf(kind, subject),
          }),
          reference: objectReference(subject, { apiVersion: '', kind }),
          namespace: objects.find(
            o => o.kind === 'Namespace' && o.metadata?.name === namespaceName,
          ),
          serviceAccount: objects.find(
            o =>
              o.kind === 'ServiceAccount' &&
              o.metadata?.name === saName &&
              (o.metadata?.namespace ?? 'default') === namespaceName,
          ),
          // As the backend lists them: the namespace's token Secrets, metadata only.
          legacyTokens: objects
            .filter(
              o =>
                o.kind === 'Secret' &&
                o.type === 'kubernetes.io/service-account-token' &&
                (o.metadata?.namespace ?? 'default') === namespaceName,
            )
            .map(o => ({ metadata: o.metadata })),
          clusterVersion: clusterVersionOf(subject),
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

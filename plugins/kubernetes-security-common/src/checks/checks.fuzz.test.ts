import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import {
  anyShapeKubernetes,
  clusterVersion,
  fuzzParameters,
  fuzzTimeout,
  imageVerifications,
  wellTypedKubernetes,
  withShuffledKeys,
} from '../__testUtils__';
import { admissionInventoryFromManifests } from '../admission';
import { assessCluster, wholeClusterSelection } from '../assessment';
import { ClusterObjects, clusterContextFromObjects } from '../clusterObjects';
import type { KubeObject } from '../kubernetes';
import type { ImageVerification } from '../reportSections';
import { kubeObjectShapeProblems } from '../kubeObjectShape';
import type { WorkloadKind } from '../kubernetes';
import { WORKLOAD_RESOURCES } from '../scannedResources';
import {
  buildWorkloads,
  clusterInventoryFromObjects,
  podTemplateOf,
} from '../workloads';
import { ALL_CHECKS } from './checkCatalogue';
import type {
  Check,
  ClusterVersion,
  FindingDraft,
  NamespaceCheck,
  WorkloadCheck,
} from './types';

const workloadChecks = ALL_CHECKS.filter(
  (check): check is WorkloadCheck => check.scope === 'workload',
);
const namespaceChecks = ALL_CHECKS.filter(
  (check): check is NamespaceCheck => check.scope === 'namespace',
);

const REQUIRED_TEXT = ['message', 'path'] as const;
const OPTIONAL_TEXT = ['container', 'evidence', 'fix'] as const;

/** Runs one check, naming it when it throws; what is wrong with its drafts, if anything. */
function malformedDrafts(check: Check, run: () => FindingDraft[]): string[] {
  let drafts: FindingDraft[];
  try {
    drafts = run();
  } catch (error) {
    throw new Error(`check ${check.id} threw: ${(error as Error)?.stack}`);
  }
  if (!Array.isArray(drafts)) return [`${check.id} returned ${typeof drafts}`];
  return drafts.flatMap(draft => [
    ...[
      ...REQUIRED_TEXT.filter(field => typeof draft[field] !== 'string'),
      ...OPTIONAL_TEXT.filter(
        field => draft[field] !== undefined && typeof draft[field] !== 'string',
      ),
    ].map(field => `${check.id}: ${field} is ${typeof draft[field]}`),
    ...(typeof draft.fix === 'string'
      ? parseAllDocuments(draft.fix)
          .flatMap(document => ('errors' in document ? document.errors : []))
          .map(error => `${check.id}: fix is not YAML: ${error.message}`)
      : []),
  ]);
}

const WORKLOAD_KINDS = new Set<string>(WORKLOAD_RESOURCES.map(row => row.kind));

/** Every workload of the objects assessed as a scan does it, with every check. */
function assessAll(
  objects: KubeObject[],
  version: ClusterVersion | undefined,
  images: ImageVerification[],
) {
  const snapshot = {
    cluster: 'fuzz',
    scannedAt: '2026-01-01T00:00:00Z',
    workloads: buildWorkloads(clusterInventoryFromObjects(objects)),
    context: { ...clusterContextFromObjects(objects), clusterVersion: version },
    errors: [],
  };
  const [{ report }] = assessCluster(
    snapshot,
    [wholeClusterSelection(snapshot, 'fuzz')],
    { images: { results: images, entityErrors: new Map() } },
  );
  return report.workloads;
}

/** A ValidatingAdmissionPolicy bound everywhere, so that dry runs evaluate CEL on the workloads. */
const DENY_PRIVILEGED: KubeObject[] = [
  {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name: 'deny-privileged' },
    spec: {
      failurePolicy: 'Fail',
      matchConstraints: {
        resourceRules: [
          {
            apiGroups: ['', 'apps', 'batch'],
            apiVersions: ['v1'],
            operations: ['CREATE', 'UPDATE'],
            resources: ['*'],
          },
        ],
      },
      validations: [
        {
          expression:
            'object.spec.containers.all(c, !(has(c.securityContext) && has(c.securityContext.privileged) && c.securityContext.privileged))',
          messageExpression: "'denied ' + object.metadata.name",
        },
      ],
    },
  },
  {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name: 'deny-privileged-binding' },
    spec: { policyName: 'deny-privileged', validationActions: ['Deny'] },
  },
];

const { workloadObject, contextObject, namespaceObject } = wellTypedKubernetes;

/** Objects of any shape, without those a manifest reader refuses for their field types. */
const acceptedObjects = fc
  .oneof(wellTypedKubernetes.kubeObjects, anyShapeKubernetes.kubeObjects)
  .map(objects =>
    objects.filter(object => kubeObjectShapeProblems(object).length === 0),
  );

describe('checks on arbitrary objects', () => {
  it(
    'the shape check accepts well-typed objects, and explains any other',
    () => {
      fc.assert(
        fc.property(
          wellTypedKubernetes.kubeObjects,
          anyShapeKubernetes.kubeObjects,
          (wellTyped, anyShape) => {
            expect(wellTyped.flatMap(kubeObjectShapeProblems)).toEqual([]);
            for (const problem of anyShape.flatMap(kubeObjectShapeProblems))
              expect(problem.message).toMatch(
                /: (expected .*, found .*|required)$/,
              );
          },
        ),
        fuzzParameters(300),
      );
    },
    fuzzTimeout(),
  );

  it(
    'every workload check runs on any workload, in any context',
    () => {
      fc.assert(
        fc.property(
          workloadObject,
          fc.array(contextObject, { maxLength: 5 }),
          clusterVersion,
          fc.option(imageVerifications, { nil: undefined }),
          (object, context, version, images) => {
            const kind = object.kind as WorkloadKind;
            const template = podTemplateOf(kind, object);
            const cluster = new ClusterObjects({
              ...clusterContextFromObjects(context),
              clusterVersion: version,
            });
            const checkContext = {
              ...cluster.workloadContext({ kind, object, template }),
              images,
            };
            expect(
              workloadChecks.flatMap(check =>
                malformedDrafts(check, () => check.run(checkContext)),
              ),
            ).toEqual([]);
          },
        ),
        fuzzParameters(300),
      );
    },
    fuzzTimeout(),
  );

  it(
    'every namespace check runs on any Namespace',
    () => {
      fc.assert(
        fc.property(namespaceObject, clusterVersion, (namespace, version) => {
          expect(
            namespaceChecks.flatMap(check =>
              malformedDrafts(check, () =>
                check.run({ namespace, clusterVersion: version }),
              ),
            ),
          ).toEqual([]);
        }),
        fuzzParameters(300),
      );
    },
    fuzzTimeout(),
  );

  it(
    'admission dry runs and checks run on any workloads and Namespaces',
    () => {
      fc.assert(
        fc.property(acceptedObjects, clusterVersion, (objects, version) => {
          const workloads = objects
            .filter(object => WORKLOAD_KINDS.has(object.kind ?? ''))
            .map(object => {
              const kind = object.kind as WorkloadKind;
              const template = podTemplateOf(kind, object);
              return { kind, object, template, pods: [], labelSets: [] };
            });
          const snapshot = {
            cluster: 'fuzz',
            scannedAt: '2026-01-01T00:00:00Z',
            workloads,
            context: {
              namespaces: objects.filter(o => o.kind === 'Namespace'),
              serviceAccounts: [],
              clusterVersion: version,
            },
            admission: admissionInventoryFromManifests(
              DENY_PRIVILEGED,
              version,
            ),
            errors: [],
          };
          const [{ report }] = assessCluster(
            snapshot,
            [wholeClusterSelection(snapshot, 'fuzz')],
            { checks: ALL_CHECKS.filter(check => check.scope === 'admission') },
          );
          const findings = [
            ...report.workloads.flatMap(workload => workload.findings),
            ...report.namespaces.flatMap(namespace => namespace.findings),
          ];
          // The runner turns a throwing check into such a finding.
          expect(
            findings.filter(finding =>
              /could not evaluate/.test(finding.message),
            ),
          ).toEqual([]);
        }),
        fuzzParameters(100),
      );
    },
    fuzzTimeout(),
  );

  it(
    'a scan of any objects assesses every workload with every check, whatever the order of keys',
    () => {
      fc.assert(
        fc.property(
          acceptedObjects,
          clusterVersion,
          imageVerifications,
          fc.integer(),
          (objects, version, images, seed) => {
            const summaries = assessAll(objects, version, images);
            for (const summary of summaries) {
              // The runner turns a throwing check into such a finding.
              expect(
                summary.findings.filter(finding =>
                  /could not evaluate/.test(finding.message),
                ),
              ).toEqual([]);
              expect(summary.score.score).toBeGreaterThanOrEqual(0);
              expect(summary.score.score).toBeLessThanOrEqual(100);
            }
            const reordered = assessAll(
              withShuffledKeys(objects, seed),
              version,
              images,
            );
            expect(reordered.map(s => [s.findings, s.score])).toEqual(
              summaries.map(s => [s.findings, s.score]),
            );
          },
        ),
        fuzzParameters(150),
      );
    },
    fuzzTimeout(),
  );
});

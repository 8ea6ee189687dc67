import { workloadUnderCheck } from '../checks/runChecks';
import type { ClusterVersion } from '../checks/types';
import type { KubeObject } from '../kubernetes';
import type {
  AdmissionAction,
  AdmissionControl,
  AdmissionEvaluation,
  AdmissionReport,
  AdmissionRequirement,
  NamespaceAdmissionCoverage,
} from '../reportSections';
import type { Workload } from '../workloads';
import type { AdmissionCheckContext, PolicyNotRun } from './checkContext';
import {
  gatekeeperControls,
  kyvernoControls,
  podSecurityControls,
  policyControllerControls,
  vapControls,
  type NamespaceInfo,
} from './controls';
import { CelCostBudget } from './cel/costBudget';
import { dryRunPolicy } from './dryRun';
import { paramsErrorResource, type AdmissionInventory } from './inventory';
import { admissionSubjects } from './subjects';

export interface AdmissionAssessmentOptions {
  /** The cluster's Namespace objects (labels drive selectors and PSA). */
  namespaces: KubeObject[];
  clusterVersion?: ClusterVersion;
  /** Feature gates known from elsewhere (e.g. kube-apiserver flags). */
  featureGatesHint?: Record<string, boolean>;
}

export interface AdmissionAssessment {
  /** The admission section of a report scoped to these namespaces and workloads. */
  report(namespaces: string[], workloads: Workload[]): AdmissionReport;
  evaluationsFor(workload: Workload): AdmissionEvaluation[];
  /** What the admission checks see of a workload: its dry runs. */
  workloadCheckContext(workload: Workload): AdmissionCheckContext;
  /** What the admission checks see of a namespace: the controls covering it. */
  namespaceCheckContext(namespace: string): AdmissionCheckContext;
}

const REQUIREMENTS: AdmissionRequirement[] = [
  'signed-images',
  'privileged-blocked',
  'host-namespaces-blocked',
  'pod-security-level',
];
const STRENGTH: AdmissionAction[] = ['deny', 'warn', 'audit'];

function vapNotRunReason(
  inventory: AdmissionInventory,
  version: ClusterVersion | undefined,
  gates: Record<string, boolean> | undefined,
): string | undefined {
  const served = inventory.served.find(
    s => s.mechanism === 'validating-admission-policy',
  );
  if (!served) {
    const minor = version?.minor ?? 0;
    if (version && minor < 26) {
      return `Kubernetes ${version.major}.${minor} has no ValidatingAdmissionPolicy (1.26+)`;
    }
    return 'the cluster does not serve the ValidatingAdmissionPolicy API (before 1.30 it needs the feature gate and its API version enabled)';
  }
  if (served.version !== 'v1' && gates?.ValidatingAdmissionPolicy === false) {
    return `the API is served at ${served.version} but the ValidatingAdmissionPolicy feature gate is off`;
  }
  return undefined;
}

function coverageOf(
  namespace: string,
  controls: AdmissionControl[],
): NamespaceAdmissionCoverage {
  return {
    namespace,
    cells: REQUIREMENTS.map(requirement => {
      const covering = controls
        .filter(c => c.requirements.includes(requirement))
        .flatMap(c =>
          c.actions.map(action => ({
            mechanism: c.mechanism,
            name: c.name,
            action,
          })),
        );
      const strongest = STRENGTH.find(action =>
        covering.some(c => c.action === action),
      );
      return {
        requirement,
        ...(strongest ? { strongestAction: strongest } : {}),
        controls: covering,
      };
    }),
  };
}

/**
 * Assesses a cluster's admission controls once: which controls cover each
 * namespace and how each workload would fare in a dry run of its
 * ValidatingAdmissionPolicies, as the admission checks and the report's
 * admission section see it. Results are cached per workload and namespace,
 * so entities sharing them cost nothing extra.
 */
export function assessAdmission(
  inventory: AdmissionInventory,
  options: AdmissionAssessmentOptions,
): AdmissionAssessment {
  const namespaceObjects = new Map(
    options.namespaces.map(ns => [ns.metadata?.name ?? '', ns] as const),
  );
  const notRunReason = vapNotRunReason(
    inventory,
    options.clusterVersion,
    options.featureGatesHint,
  );
  const psaServed =
    !options.clusterVersion || options.clusterVersion.minor >= 23;
  const served: AdmissionReport['served'] = [
    ...(psaServed
      ? [{ mechanism: 'pod-security-admission' as const, version: 'v1' }]
      : []),
    ...inventory.served,
  ];
  const policies = new Map(
    inventory.validatingAdmissionPolicies.map(
      p => [p.metadata?.name ?? '', p] as const,
    ),
  );
  const pairs: { policy: KubeObject; binding: KubeObject; unbound?: true }[] =
    inventory.validatingAdmissionPolicyBindings.flatMap(binding => {
      const policy = policies.get((binding.spec as any)?.policyName ?? '');
      return policy ? [{ policy, binding }] : [];
    });
  // A policy no binding names is never evaluated by the API server: dry-run
  // it anyway so the tab can say what it would catch if it were bound.
  const bound = new Set(pairs.map(pair => pair.policy));
  for (const policy of inventory.validatingAdmissionPolicies) {
    if (bound.has(policy)) continue;
    pairs.push({
      policy,
      binding: { metadata: {}, spec: { policyName: policy.metadata?.name } },
      unbound: true,
    });
  }
  const unreadableParams = new Set(inventory.errors.map(e => e.resource));
  const policyApiVersion = `admissionregistration.k8s.io/${
    inventory.served.find(s => s.mechanism === 'validating-admission-policy')
      ?.version ?? 'v1'
  }`;

  // One budget for every CEL expression of this cluster's scan.
  const celBudget = new CelCostBudget();
  const evaluationCache = new Map<KubeObject, AdmissionEvaluation[]>();
  const evaluationsFor = (workload: Workload): AdmissionEvaluation[] => {
    let cached = evaluationCache.get(workload.object);
    if (!cached) {
      const namespace = workload.object.metadata?.namespace ?? 'default';
      const namespaceObject = namespaceObjects.get(namespace);
      const subjects = admissionSubjects(workload, namespaceObject);
      cached = pairs.flatMap(({ policy, binding, unbound }) => {
        const paramKind = (policy.spec as any)?.paramKind;
        const unreadable =
          paramKind && unreadableParams.has(paramsErrorResource(paramKind));
        return subjects.flatMap(subject => {
          const evaluation = dryRunPolicy(policy, binding, subject, {
            params: inventory.params,
            celBudget,
            ...(unreadable
              ? {
                  paramsUnreadable: `its params (${paramKind.apiVersion} ${paramKind.kind}) could not be read`,
                }
              : {}),
            namespaceObject,
            enforced: !notRunReason && !unbound,
            ...(notRunReason ? { notEnforcedReason: notRunReason } : {}),
            ...(unbound && !notRunReason
              ? {
                  notEnforcedReason: `no ValidatingAdmissionPolicyBinding names policy "${policy.metadata?.name}", so the API server never evaluates it`,
                }
              : {}),
          });
          return evaluation ? [evaluation] : [];
        });
      });
      evaluationCache.set(workload.object, cached);
    }
    return cached;
  };

  const namespaceCache = new Map<
    string,
    { controls: AdmissionControl[]; context: AdmissionCheckContext }
  >();
  const namespaceState = (name: string) => {
    let state = namespaceCache.get(name);
    if (!state) {
      const info: NamespaceInfo = {
        name,
        labels: {
          'kubernetes.io/metadata.name': name,
          ...namespaceObjects.get(name)?.metadata?.labels,
        },
      };
      const vap = vapControls(
        inventory.validatingAdmissionPolicies,
        inventory.validatingAdmissionPolicyBindings,
        info,
        notRunReason,
      );
      const controls = [
        ...(psaServed ? podSecurityControls(info) : []),
        ...vap,
        ...kyvernoControls(inventory.kyvernoPolicies, info),
        ...gatekeeperControls(
          inventory.gatekeeperConstraintTemplates,
          inventory.gatekeeperConstraints,
          info,
        ),
        ...policyControllerControls(inventory.clusterImagePolicies, info),
      ];
      const policiesNotRun: PolicyNotRun[] = notRunReason
        ? vap.map(c => ({
            policy: c.name,
            binding: c.binding,
            reason: notRunReason,
          }))
        : [];
      const typeWarnings = [...new Set(vap.map(c => c.name))].flatMap(policy =>
        (
          ((policies.get(policy)?.status as any)?.typeChecking
            ?.expressionWarnings ?? []) as any[]
        ).map(w => ({
          policy,
          warning: `${w?.fieldRef ?? ''}: ${w?.warning ?? ''}`,
        })),
      );
      state = {
        controls,
        context: {
          subject: 'namespace',
          namespace: name,
          controls,
          coverage: coverageOf(name, controls),
          policiesNotRun,
          typeWarnings,
          policyApiVersion,
        },
      };
      namespaceCache.set(name, state);
    }
    return state;
  };

  return {
    evaluationsFor,
    workloadCheckContext(workload) {
      return {
        subject: 'workload',
        evaluations: evaluationsFor(workload),
        podSpecPath: workloadUnderCheck(workload).podSpecPath,
        policyApiVersion,
      };
    },
    namespaceCheckContext(namespace) {
      return namespaceState(namespace).context;
    },
    report(namespaces, workloads) {
      const controls = new Map<string, AdmissionControl>();
      const coverage = namespaces.map(name => {
        const state = namespaceState(name);
        for (const control of state.controls) {
          controls.set(
            `${control.mechanism}/${control.name}/${control.binding ?? ''}/${
              control.actions
            }`,
            control,
          );
        }
        return (
          state.context as Extract<
            AdmissionCheckContext,
            { subject: 'namespace' }
          >
        ).coverage;
      });
      return {
        served,
        controls: [...controls.values()],
        coverage,
        evaluations: workloads.flatMap(evaluationsFor),
        errors: inventory.errors,
      };
    },
  };
}

import type { KubeObject } from '../kubernetes';
import type {
  AdmissionAction,
  AdmissionControl,
  AdmissionRequirement,
} from '../reportSections';
import { bindingActions } from './dryRun';
import { matchesResources, type RequestAttributes } from './matching';
import { selectorMatches, type LabelSelectorObject } from './selectors';

/**
 * Which controls cover a namespace and what they require. Kyverno,
 * Gatekeeper and policy-controller are classified from their specs, not run.
 */

const PRIVILEGED = /privileged/i;
const HOST_NAMESPACES = /host(Network|PID|IPC)/;
const WORKLOAD_KINDS = [
  'Pod',
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
];

function requirementsFromText(text: string): AdmissionRequirement[] {
  return [
    ...(PRIVILEGED.test(text) ? ['privileged-blocked' as const] : []),
    ...(HOST_NAMESPACES.test(text) ? ['host-namespaces-blocked' as const] : []),
  ];
}

function levelRequirements(level: string): AdmissionRequirement[] {
  return level === 'baseline' || level === 'restricted'
    ? ['pod-security-level', 'privileged-blocked', 'host-namespaces-blocked']
    : ['pod-security-level'];
}

/** Glob with `*` as Kyverno and Gatekeeper use for namespace names. */
function globMatches(pattern: string, value: string): boolean {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\?]/g, '\\$&')
    .replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`).test(value);
}

export interface NamespaceInfo {
  name: string;
  labels: Record<string, string>;
}

// --- Pod Security Admission ------------------------------------------------

const PSA_MODES: [string, AdmissionAction][] = [
  ['enforce', 'deny'],
  ['warn', 'warn'],
  ['audit', 'audit'],
];

export function podSecurityControls(
  namespace: NamespaceInfo,
): AdmissionControl[] {
  return PSA_MODES.flatMap(([mode, action]) => {
    const level = namespace.labels[`pod-security.kubernetes.io/${mode}`];
    if (!level) return [];
    const version =
      namespace.labels[`pod-security.kubernetes.io/${mode}-version`];
    return [
      {
        mechanism: 'pod-security-admission' as const,
        name: `pod-security.kubernetes.io/${mode}`,
        actions: [action],
        requirements: levelRequirements(level),
        detail: version ? `${level} (${version})` : level,
      },
    ];
  });
}

// --- ValidatingAdmissionPolicy -------------------------------------------

/** Whether the binding would select a pod or workload created in the namespace. */
function vapCoversNamespace(
  policy: KubeObject,
  binding: KubeObject,
  namespace: NamespaceInfo,
) {
  const spec = (policy.spec ?? {}) as { matchConstraints?: any };
  const bindingSpec = (binding.spec ?? {}) as { matchResources?: any };
  return Object.entries({
    Pod: ['', 'pods'],
    Deployment: ['apps', 'deployments'],
    StatefulSet: ['apps', 'statefulsets'],
    DaemonSet: ['apps', 'daemonsets'],
    Job: ['batch', 'jobs'],
    CronJob: ['batch', 'cronjobs'],
  }).some(([kind, [group, resource]]) => {
    const attributes: RequestAttributes = {
      group,
      version: 'v1',
      resource,
      subresource: '',
      kind,
      operation: 'CREATE',
      name: '',
      namespace: namespace.name,
      objectLabels: {},
      namespaceLabels: namespace.labels,
    };
    // Object selectors depend on each object; coverage ignores them.
    const withoutObjectSelector = (match: any) =>
      match ? { ...match, objectSelector: undefined } : match;
    return (
      matchesResources(
        withoutObjectSelector(spec.matchConstraints),
        attributes,
        { rulesRequired: true },
      ) &&
      matchesResources(
        withoutObjectSelector(bindingSpec.matchResources),
        attributes,
        { rulesRequired: false },
      )
    );
  });
}

export function vapControls(
  policies: KubeObject[],
  bindings: KubeObject[],
  namespace: NamespaceInfo,
  notEnforcedReason: string | undefined,
): AdmissionControl[] {
  return bindings.flatMap(binding => {
    const policyName = (binding.spec as any)?.policyName;
    const policy = policies.find(p => p.metadata?.name === policyName);
    if (!policy || !vapCoversNamespace(policy, binding, namespace)) return [];
    const text = ((policy.spec as any)?.validations ?? [])
      .map((v: any) => `${v?.expression ?? ''}`)
      .join('\n');
    return [
      {
        mechanism: 'validating-admission-policy' as const,
        name: policyName,
        binding: binding.metadata?.name,
        actions: notEnforcedReason ? [] : bindingActions(binding),
        requirements: requirementsFromText(text),
        ...(notEnforcedReason
          ? { detail: `not enforced: ${notEnforcedReason}` }
          : {}),
      },
    ];
  });
}

// --- Kyverno ----------------------------------------------------------------

interface KyvernoResourceFilter {
  resources?: {
    kinds?: string[];
    namespaces?: string[];
    namespaceSelector?: LabelSelectorObject;
  };
}

interface KyvernoMatch extends KyvernoResourceFilter {
  any?: KyvernoResourceFilter[];
  all?: KyvernoResourceFilter[];
}

function kyvernoFilterMatches(
  filter: KyvernoResourceFilter | undefined,
  namespace: NamespaceInfo,
): boolean {
  const resources = filter?.resources ?? {};
  const kinds = (resources.kinds ?? []).map(
    kind => kind.split('/').pop() ?? kind,
  );
  const kindMatches = kinds.some(
    kind => kind === '*' || WORKLOAD_KINDS.includes(kind),
  );
  const namespaces = resources.namespaces ?? [];
  return (
    kindMatches &&
    (namespaces.length === 0 ||
      namespaces.some(p => globMatches(p, namespace.name))) &&
    selectorMatches(resources.namespaceSelector, namespace.labels)
  );
}

function kyvernoNamespaceOnly(
  filter: KyvernoResourceFilter | undefined,
  namespace: NamespaceInfo,
): boolean {
  // An exclude block removes the namespace when its namespace criteria match.
  const resources = filter?.resources;
  if (!resources?.namespaces?.length && !resources?.namespaceSelector)
    return false;
  return (
    (!resources.namespaces?.length ||
      resources.namespaces.some(p => globMatches(p, namespace.name))) &&
    (!resources.namespaceSelector ||
      selectorMatches(resources.namespaceSelector, namespace.labels))
  );
}

/** `any` (one block), `all` (every block) or the legacy single block. */
function kyvernoBlocks(
  match: KyvernoMatch,
  test: (filter: KyvernoResourceFilter) => boolean,
): boolean {
  if (match.any) return match.any.some(test);
  if (match.all) return match.all.every(test);
  return test(match);
}

function kyvernoRuleApplies(rule: any, namespace: NamespaceInfo): boolean {
  const match: KyvernoMatch = rule?.match ?? {};
  const matched = kyvernoBlocks(match, f => kyvernoFilterMatches(f, namespace));
  const exclude: KyvernoMatch = rule?.exclude ?? {};
  const excluded = kyvernoBlocks(exclude, f =>
    kyvernoNamespaceOnly(f, namespace),
  );
  return matched && !excluded;
}

function kyvernoAction(value: unknown): AdmissionAction | undefined {
  if (typeof value !== 'string') return undefined;
  return value.toLowerCase() === 'enforce' ? 'deny' : 'audit';
}

export function kyvernoControls(
  policies: KubeObject[],
  namespace: NamespaceInfo,
): AdmissionControl[] {
  return policies.flatMap(policy => {
    if (
      policy.kind === 'Policy' &&
      policy.metadata?.namespace !== namespace.name
    )
      return [];
    const spec = (policy.spec ?? {}) as any;
    const override = (spec.validationFailureActionOverrides ?? []).find(
      (o: any) =>
        (o?.namespaces ?? []).some((p: string) =>
          globMatches(p, namespace.name),
        ),
    );
    const policyAction =
      kyvernoAction(override?.action) ??
      kyvernoAction(spec.validationFailureAction) ??
      'audit';
    const controls = new Map<AdmissionAction, Set<AdmissionRequirement>>();
    const add = (
      action: AdmissionAction,
      requirements: AdmissionRequirement[],
    ) => {
      const set = controls.get(action) ?? new Set();
      requirements.forEach(r => set.add(r));
      controls.set(action, set);
    };
    for (const rule of spec.rules ?? []) {
      if (!kyvernoRuleApplies(rule, namespace)) continue;
      if (rule.validate) {
        const action =
          kyvernoAction(rule.validate.failureAction) ?? policyAction;
        const level = rule.validate.podSecurity?.level;
        add(action, [
          ...(level ? levelRequirements(level) : []),
          ...requirementsFromText(JSON.stringify(rule.validate)),
        ]);
      }
      for (const verify of rule.verifyImages ?? []) {
        const action = kyvernoAction(verify?.failureAction) ?? policyAction;
        add(
          action,
          verify?.attestors?.length || verify?.attestations?.length
            ? ['signed-images']
            : [],
        );
      }
    }
    return [...controls].map(([action, requirements]) => ({
      mechanism: 'kyverno' as const,
      name: policy.metadata?.namespace
        ? `${policy.metadata.namespace}/${policy.metadata?.name}`
        : policy.metadata?.name ?? '',
      binding: policy.kind,
      actions: [action],
      requirements: [...requirements],
    }));
  });
}

// --- Gatekeeper ---------------------------------------------------------------

const GATEKEEPER_KINDS: Record<string, AdmissionRequirement[]> = {
  K8sPSPPrivilegedContainer: ['privileged-blocked'],
  K8sPSPHostNamespace: ['host-namespaces-blocked'],
  K8sPSPHostNetworkingPorts: ['host-namespaces-blocked'],
};

function gatekeeperActions(spec: any): AdmissionAction[] {
  const map = (value: string): AdmissionAction | undefined =>
    ((
      { deny: 'deny', dryrun: 'audit', warn: 'warn' } as Record<
        string,
        AdmissionAction
      >
    )[value]);
  const action = spec?.enforcementAction ?? 'deny';
  if (action !== 'scoped')
    return [map(action)].filter(Boolean) as AdmissionAction[];
  return (spec?.scopedEnforcementActions ?? [])
    .filter((s: any) =>
      (s?.enforcementPoints ?? []).some(
        (p: any) => p?.name === 'validation.gatekeeper.sh' || p?.name === '*',
      ),
    )
    .map((s: any) => map(s?.action))
    .filter(Boolean);
}

export function gatekeeperControls(
  templates: KubeObject[],
  constraints: KubeObject[],
  namespace: NamespaceInfo,
): AdmissionControl[] {
  return constraints.flatMap(constraint => {
    const match = (constraint.spec as any)?.match ?? {};
    const kinds: { kinds?: string[] }[] = match.kinds ?? [];
    const kindMatches =
      kinds.length === 0 ||
      kinds.some(k =>
        (k.kinds ?? []).some(
          kind => kind === '*' || WORKLOAD_KINDS.includes(kind),
        ),
      );
    const namespaces: string[] = match.namespaces ?? [];
    const excluded: string[] = match.excludedNamespaces ?? [];
    const applies =
      kindMatches &&
      (namespaces.length === 0 ||
        namespaces.some(p => globMatches(p, namespace.name))) &&
      !excluded.some(p => globMatches(p, namespace.name)) &&
      selectorMatches(match.namespaceSelector, namespace.labels);
    const actions = gatekeeperActions(constraint.spec);
    if (!applies || actions.length === 0) return [];
    const template = templates.find(
      t => (t.spec as any)?.crd?.spec?.names?.kind === constraint.kind,
    );
    const rego = JSON.stringify((template?.spec as any)?.targets ?? []);
    const requirements = new Set([
      ...(GATEKEEPER_KINDS[constraint.kind ?? ''] ?? []),
      ...requirementsFromText(rego),
    ]);
    return [
      {
        mechanism: 'gatekeeper' as const,
        name: constraint.metadata?.name ?? '',
        binding: constraint.kind,
        actions,
        requirements: [...requirements],
      },
    ];
  });
}

// --- sigstore policy-controller ---------------------------------------------

export function policyControllerControls(
  policies: KubeObject[],
  namespace: NamespaceInfo,
): AdmissionControl[] {
  // policy-controller only admits in namespaces that opt in.
  if (namespace.labels['policy.sigstore.dev/include'] !== 'true') return [];
  return policies.map(policy => ({
    mechanism: 'policy-controller' as const,
    name: policy.metadata?.name ?? '',
    actions: [(policy.spec as any)?.mode === 'warn' ? 'warn' : 'deny'],
    requirements: ['signed-images'],
  }));
}

import {
  ADMISSION_RESOURCES,
  AdmissionInventory,
  emptyAdmissionInventory,
  EVERY_RESOURCE,
  formatLabelSelector,
  KubeObject,
  paramsErrorResource,
  paramsNotReadReason,
} from '@internal/plugin-kubernetes-security-common';
import type { AdmissionMechanism } from '@internal/plugin-kubernetes-security-common';
import {
  KubernetesApiClient,
  KubernetesRequestError,
} from '../clusters/KubernetesApiClient';
import { toScanError } from './toScanError';
import { ApiDiscovery } from './discoverApis';

/** The API groups `collectAdmission` needs from `discoverApis`. */
export const ADMISSION_API_GROUPS = [
  ...new Set(ADMISSION_RESOURCES.map(row => row.group)),
];

/** Listed as one resource each; Gatekeeper's constraints are listed per template kind. */
const LISTED_ADMISSION_RESOURCES = ADMISSION_RESOURCES.filter(
  row => row.resource !== EVERY_RESOURCE,
);

interface ParamKind {
  apiVersion?: string;
  kind?: string;
}

interface ParamRef {
  name?: string;
  namespace?: string;
  selector?: Parameters<typeof formatLabelSelector>[0];
}

interface ResourceInfo {
  name: string;
  kind: string;
  namespaced: boolean;
}

/**
 * Lists a cluster's admission configuration: ValidatingAdmissionPolicies and
 * bindings at the preferred served version with the params they name,
 * Kyverno policies, Gatekeeper templates and constraints, and sigstore
 * ClusterImagePolicies. An API that is not served is skipped, never an
 * error; a list that fails (403, …) becomes a `ScanError` and the rest goes on.
 */
export async function collectAdmission(
  client: KubernetesApiClient,
  discovery: ApiDiscovery,
): Promise<AdmissionInventory> {
  const inventory = emptyAdmissionInventory();
  inventory.errors.push(
    ...discovery.errors.filter(e =>
      ADMISSION_API_GROUPS.some(g => e.resource === `discovery/${g}`),
    ),
  );
  const served = (mechanism: AdmissionMechanism, version: string) =>
    inventory.served.push({ mechanism, version });

  const list = async (
    group: string,
    resource: string,
    kind: string,
  ): Promise<{ version?: string; items: KubeObject[] }> => {
    const version = discovery.preferredVersion(group, resource);
    if (!version) return { version: undefined, items: [] };
    try {
      const items = await client.listAll<KubeObject>(
        ApiDiscovery.collectionPath(group, version, resource),
      );
      // Items of a list response carry no apiVersion/kind of their own.
      return {
        version,
        items: items.map(item => ({
          ...item,
          apiVersion: `${group}/${version}`,
          kind,
        })),
      };
    } catch (error) {
      inventory.errors.push(toScanError(error, `${group}/${resource}`));
      return { version, items: [] };
    }
  };

  const lists = await Promise.all(
    LISTED_ADMISSION_RESOURCES.map(row =>
      list(row.group, row.resource, row.kind),
    ),
  );
  LISTED_ADMISSION_RESOURCES.forEach((row, index) => {
    const { version, items } = lists[index];
    inventory[row.slot.key] = [...inventory[row.slot.key], ...items];
    // A mechanism is served at its first row's version (VAP: the policies').
    const firstOfMechanism = LISTED_ADMISSION_RESOURCES.find(
      other => other.slot.mechanism === row.slot.mechanism,
    );
    if (version && firstOfMechanism === row)
      served(row.slot.mechanism, version);
  });

  // Gatekeeper serves one constraint resource per template kind.
  const constraintKinds = [
    ...new Set(
      inventory.gatekeeperConstraintTemplates
        .map(t => (t.spec as any)?.crd?.spec?.names?.kind)
        .filter((kind): kind is string => typeof kind === 'string'),
    ),
  ];
  const constraints = await Promise.all(
    constraintKinds
      .filter(kind =>
        discovery.serves('constraints.gatekeeper.sh', kind.toLowerCase()),
      )
      .map(kind => list('constraints.gatekeeper.sh', kind.toLowerCase(), kind)),
  );
  inventory.gatekeeperConstraints = constraints.flatMap(c => c.items);

  inventory.params = await collectParams(
    client,
    inventory.validatingAdmissionPolicies,
    inventory.validatingAdmissionPolicyBindings,
    inventory,
  );
  return inventory;
}

async function resourceFor(
  client: KubernetesApiClient,
  paramKind: ParamKind,
): Promise<ResourceInfo | undefined> {
  const apiVersion = paramKind.apiVersion ?? '';
  const path = apiVersion.includes('/')
    ? `/apis/${apiVersion}`
    : `/api/${apiVersion}`;
  const list = await client.request<{ resources?: ResourceInfo[] }>(
    'GET',
    path,
  );
  return (list.resources ?? []).find(
    r => r.kind === paramKind.kind && !r.name.includes('/'),
  );
}

/** Fetches the params objects each binding names, by `paramRef`. */
async function collectParams(
  client: KubernetesApiClient,
  policies: KubeObject[],
  bindings: KubeObject[],
  inventory: AdmissionInventory,
): Promise<KubeObject[]> {
  const found = new Map<string, KubeObject>();
  const failed = new Set<string>();
  for (const binding of bindings) {
    const policy = policies.find(
      p => p.metadata?.name === (binding.spec as any)?.policyName,
    );
    const paramKind = (policy?.spec as any)?.paramKind as ParamKind | undefined;
    const paramRef = (binding.spec as any)?.paramRef as ParamRef | undefined;
    if (!paramKind?.kind || !paramKind.apiVersion || !paramRef) continue;
    // Never asked for: the dry run reports these policies as unknown.
    if (paramsNotReadReason(paramKind)) continue;
    const errorResource = paramsErrorResource(paramKind);
    if (failed.has(errorResource)) continue;
    try {
      const resource = await resourceFor(client, paramKind);
      if (!resource) {
        throw new KubernetesRequestError(
          'NOT_FOUND',
          `the cluster serves no ${paramKind.kind} in ${paramKind.apiVersion}`,
        );
      }
      const base = paramKind.apiVersion.includes('/')
        ? `/apis/${paramKind.apiVersion}`
        : `/api/${paramKind.apiVersion}`;
      let items: KubeObject[];
      if (paramRef.name && (paramRef.namespace || !resource.namespaced)) {
        const scope = resource.namespaced
          ? `/namespaces/${encodeURIComponent(paramRef.namespace!)}`
          : '';
        items = await client
          .request<KubeObject>(
            'GET',
            `${base}${scope}/${resource.name}/${encodeURIComponent(
              paramRef.name,
            )}`,
          )
          .then(
            item => [item],
            error => {
              // A missing params object is the binding's parameterNotFoundAction to judge.
              if (
                error instanceof KubernetesRequestError &&
                error.statusCode === 404
              )
                return [];
              throw error;
            },
          );
      } else {
        const scope = paramRef.namespace
          ? `/namespaces/${encodeURIComponent(paramRef.namespace)}`
          : '';
        items = await client.listAll<KubeObject>(
          `${base}${scope}/${resource.name}`,
          {
            labelSelector: paramRef.name
              ? undefined
              : formatLabelSelector(paramRef.selector),
            fieldSelector: paramRef.name
              ? `metadata.name=${paramRef.name}`
              : undefined,
          },
        );
      }
      for (const item of items) {
        const object = {
          ...item,
          apiVersion: paramKind.apiVersion,
          kind: paramKind.kind,
        };
        found.set(
          `${object.apiVersion}/${object.kind}/${object.metadata?.namespace}/${object.metadata?.name}`,
          object,
        );
      }
    } catch (error) {
      failed.add(errorResource);
      inventory.errors.push(toScanError(error, errorResource));
    }
  }
  return [...found.values()];
}

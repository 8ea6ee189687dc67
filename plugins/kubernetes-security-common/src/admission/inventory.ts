import type { KubeObject } from '../kubernetes';
import type { ScanError } from '../scanError';
import type { AdmissionMechanism } from '../reportSections';

/**
 * A cluster's admission configuration as listed from it: plain objects, so it
 * can be stored, sent, or built from manifests. `served` says which APIs the
 * cluster serves (from discovery); a mechanism absent there was not served.
 */
export interface AdmissionInventory {
  served: { mechanism: AdmissionMechanism; version?: string }[];
  validatingAdmissionPolicies: KubeObject[];
  validatingAdmissionPolicyBindings: KubeObject[];
  /** Objects named by bindings' `paramRef`, with apiVersion and kind set. */
  params: KubeObject[];
  /** Kyverno `ClusterPolicy` and `Policy` objects, kind set. */
  kyvernoPolicies: KubeObject[];
  gatekeeperConstraintTemplates: KubeObject[];
  /** Constraints of every template kind, apiVersion and kind set. */
  gatekeeperConstraints: KubeObject[];
  /** sigstore policy-controller `ClusterImagePolicy` objects. */
  clusterImagePolicies: KubeObject[];
  /** Lists that failed (403, …): the assessment is partial, not empty. */
  errors: ScanError[];
}

export function emptyAdmissionInventory(): AdmissionInventory {
  return {
    served: [],
    validatingAdmissionPolicies: [],
    validatingAdmissionPolicyBindings: [],
    params: [],
    kyvernoPolicies: [],
    gatekeeperConstraintTemplates: [],
    gatekeeperConstraints: [],
    clusterImagePolicies: [],
    errors: [],
  };
}

const group = (object: KubeObject) =>
  (object.apiVersion ?? '').includes('/')
    ? (object.apiVersion ?? '').split('/')[0]
    : '';
const version = (object: KubeObject) =>
  (object.apiVersion ?? '').split('/').pop();

/** Whether a cluster of this version can serve VAP objects of this version. */
function vapVersionServed(apiVersion: string | undefined, minor: number) {
  if (apiVersion === 'v1') return minor >= 30;
  return minor >= 26;
}

/**
 * Sorts manifests (e.g. for the CLI or fixtures) into an inventory. Every
 * mechanism whose objects appear counts as served at their version (for
 * ValidatingAdmissionPolicy, only where the cluster version has that API
 * version); other objects are kept as possible params.
 */
export function admissionInventoryFromManifests(
  objects: KubeObject[],
  clusterVersion?: { major: number; minor: number },
): AdmissionInventory {
  const inventory = emptyAdmissionInventory();
  const served = new Map<AdmissionMechanism, string | undefined>();
  for (const object of objects) {
    const g = group(object);
    if (g === 'admissionregistration.k8s.io') {
      if (object.kind === 'ValidatingAdmissionPolicy') {
        inventory.validatingAdmissionPolicies.push(object);
      } else if (object.kind === 'ValidatingAdmissionPolicyBinding') {
        inventory.validatingAdmissionPolicyBindings.push(object);
      } else continue;
      served.set('validating-admission-policy', version(object));
    } else if (g === 'kyverno.io') {
      inventory.kyvernoPolicies.push(object);
      served.set('kyverno', version(object));
    } else if (g === 'templates.gatekeeper.sh') {
      inventory.gatekeeperConstraintTemplates.push(object);
      served.set('gatekeeper', version(object));
    } else if (g === 'constraints.gatekeeper.sh') {
      inventory.gatekeeperConstraints.push(object);
    } else if (g === 'policy.sigstore.dev') {
      inventory.clusterImagePolicies.push(object);
      served.set('policy-controller', version(object));
    } else if (!paramsNotReadReason(object)) {
      inventory.params.push(object);
    }
  }
  const vap = served.get('validating-admission-policy');
  if (
    clusterVersion &&
    served.has('validating-admission-policy') &&
    !vapVersionServed(vap, clusterVersion.minor)
  ) {
    served.delete('validating-admission-policy');
  }
  inventory.served = [...served].map(([mechanism, v]) => ({
    mechanism,
    ...(v ? { version: v } : {}),
  }));
  return inventory;
}

/**
 * Why objects of a policy's `paramKind` are never read, if they are not.
 * Params flow into CEL, and a `messageExpression` can copy them into a
 * report that every catalog reader sees: Secret values must never get there.
 */
export function paramsNotReadReason(paramKind: {
  apiVersion?: string;
  kind?: string;
}): string | undefined {
  // Any group's `Secret`, not only core v1: a custom kind of that name is
  // as likely to carry values.
  return paramKind.kind === 'Secret'
    ? `params of kind ${paramKind.kind} are not read, so a policy that needs them cannot be evaluated here`
    : undefined;
}

/** The `ScanError.resource` of a params kind that could not be read. */
export function paramsErrorResource(paramKind: {
  apiVersion?: string;
  kind?: string;
}): string {
  return `params/${paramKind.apiVersion ?? ''}/${paramKind.kind ?? ''}`;
}

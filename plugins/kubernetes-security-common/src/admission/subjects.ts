import type { KubeObject } from '../kubernetes';
import type { WorkloadRef } from '../reportSections';
import { WORKLOAD_API_VERSIONS, type Workload } from '../workloads';
import { RESOURCE_OF, type RequestAttributes } from './matching';

/** One object as an admission request would carry it. */
export interface AdmissionSubject {
  ref: WorkloadRef;
  evaluatedAs: 'Pod' | 'workload';
  object: KubeObject;
  attributes: RequestAttributes;
}

function namespaceLabels(
  namespace: string,
  namespaceObject: KubeObject | undefined,
): Record<string, string> {
  // The API server sets this label on every namespace (1.22+).
  return {
    'kubernetes.io/metadata.name': namespace,
    ...namespaceObject?.metadata?.labels,
  };
}

/**
 * Denial happens when controllers create Pods, so a workload is checked twice:
 * as itself (workload policies) and as the Pod it makes, a CREATE with no old
 * object. The Pod is a running replica when there is one (it carries what
 * mutating admission added) and otherwise is built from the template.
 */
export function admissionSubjects(
  workload: Workload,
  namespaceObject: KubeObject | undefined,
): AdmissionSubject[] {
  const namespace = workload.object.metadata?.namespace ?? 'default';
  const ref: WorkloadRef = {
    kind: workload.kind,
    namespace,
    name: workload.object.metadata?.name ?? '',
  };
  const nsLabels = namespaceLabels(namespace, namespaceObject);
  const subject = (
    evaluatedAs: AdmissionSubject['evaluatedAs'],
    kind: Workload['kind'],
    object: KubeObject,
  ): AdmissionSubject => ({
    ref,
    evaluatedAs,
    object,
    attributes: {
      ...RESOURCE_OF[kind],
      subresource: '',
      kind,
      operation: 'CREATE',
      name: object.metadata?.name ?? '',
      namespace,
      objectLabels: object.metadata?.labels ?? {},
      namespaceLabels: nsLabels,
    },
  });
  const self: KubeObject = {
    ...workload.object,
    apiVersion:
      workload.object.apiVersion ?? WORKLOAD_API_VERSIONS[workload.kind],
    kind: workload.object.kind ?? workload.kind,
  };
  if (workload.kind === 'Pod') {
    const { status: _status, ...pod } = self;
    return [subject('Pod', 'Pod', pod)];
  }
  const running = workload.pods[0];
  let pod: KubeObject;
  if (running) {
    const { status: _status, ...rest } = running;
    pod = { ...rest, apiVersion: 'v1', kind: 'Pod' };
  } else {
    pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        ...workload.template.metadata,
        namespace,
        generateName: `${ref.name}-`,
      } as KubeObject['metadata'],
      spec: workload.template.spec ?? {},
    };
  }
  return [subject('workload', workload.kind, self), subject('Pod', 'Pod', pod)];
}

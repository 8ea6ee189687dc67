import type { WorkloadCheck } from '../types';
import { mutableImageContainers } from './imageContainers';
import { defaultPullPolicy } from './imageReference';

export const imagePullPolicyNotAlways: WorkloadCheck = {
  scope: 'workload',
  id: 'image-pull-policy-not-always',
  title: 'Mutable image tag without imagePullPolicy Always',
  severity: 'low',
  area: 'images',
  rationale:
    'With `IfNotPresent` or `Never`, a node keeps running whatever image it cached for a tag, so replicas can run ' +
    'different builds after the tag moves, and a pod can use a private image another pod pulled without ' +
    'presenting credentials itself. Flagged: images not pinned by digest whose effective policy is not `Always`. ' +
    'The effective policy is the one set, or the API server default: `Always` for `latest` or no tag, ' +
    '`IfNotPresent` for any other tag. Digest-pinned images are not flagged: the digest already fixes the ' +
    'content. Polaris flags every container without an explicit `Always`, digests included.',
  remediation: {
    text:
      'Set `imagePullPolicy: Always` (the kubelet then only checks the digest with the registry and reuses ' +
      'cached layers), or pin the image by digest.',
    yaml: `containers:
  - name: app
    image: registry.example.com/app:1.4.2
    imagePullPolicy: Always`,
  },
  docs: 'https://kubernetes.io/docs/concepts/containers/images/#imagepullpolicy-defaulting',
  equivalents: { polaris: 'pullPolicyNotAlways' },
  run({ workload }) {
    return mutableImageContainers(workload).flatMap(
      ({ container, path, image, reference }) => {
        const policy =
          container.imagePullPolicy || defaultPullPolicy(reference);
        if (policy === 'Always') return [];
        const source = container.imagePullPolicy
          ? ''
          : ' (the default for this tag)';
        return [
          {
            container: container.name,
            message: `Container "${container.name}" pulls mutable image "${image}" with imagePullPolicy ${policy}${source}`,
            path: `${path}.imagePullPolicy`,
            evidence: container.imagePullPolicy || `${policy} (default)`,
          },
        ];
      },
    );
  },
};

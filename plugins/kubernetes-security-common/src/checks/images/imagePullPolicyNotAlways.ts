import { containerFix } from '../fix';
import type { WorkloadCheck } from '../types';
import { mutableImageContainers } from './imageContainers';
import { defaultPullPolicy } from './imageReference';
import { imagePullPolicyNotAlwaysMetadata } from './metadata';

export const imagePullPolicyNotAlways: WorkloadCheck = {
  scope: 'workload',
  ...imagePullPolicyNotAlwaysMetadata,
  run({ workload }) {
    return mutableImageContainers(workload).flatMap(
      ({ container, path, field, image, reference }) => {
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
            fix: containerFix(
              workload,
              { field, name: container.name },
              { imagePullPolicy: 'Always' },
            ),
          },
        ];
      },
    );
  },
};

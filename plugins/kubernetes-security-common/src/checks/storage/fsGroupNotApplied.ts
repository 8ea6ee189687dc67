import { fixYaml } from '../fix';
import type { WorkloadCheck } from '../types';
import { fsGroupNotAppliedMetadata } from './metadata';

export const fsGroupNotApplied: WorkloadCheck = {
  scope: 'workload',
  ...fsGroupNotAppliedMetadata,
  run({ workload, volumes }) {
    return (volumes ?? [])
      .filter(volume => volume.outcome === 'not-applied')
      .map(volume => ({
        message: `Volume "${volume.volume}"${
          volume.driver ? ` (${volume.driver})` : ''
        }: ${volume.reason}`,
        path: `${workload.podSpecPath}.securityContext.fsGroup`,
        evidence: `fsGroup: ${volume.fsGroup}, fsGroupPolicy: ${
          volume.fsGroupPolicy
        }, accessModes: ${(volume.accessModes ?? []).join(',')}, fsType: ${
          volume.fsType ?? 'none'
        }`,
        fix: volume.driver
          ? fixYaml(
              [
                {
                  apiVersion: 'storage.k8s.io/v1',
                  kind: 'CSIDriver',
                  metadata: { name: volume.driver },
                  spec: { fsGroupPolicy: 'File' },
                },
              ],
              `Only if every volume of ${volume.driver} supports ownership changes: its policy applies to all of them.`,
            )
          : undefined,
      }));
  },
};

import type { AdmissionCheck } from '../types';
import { admissionUnknownMetadata } from './metadata';

export const admissionUnknown: AdmissionCheck = {
  ...admissionUnknownMetadata,
  scope: 'admission',
  run: context =>
    context.subject !== 'workload'
      ? []
      : context.evaluations
          .filter(e => e.outcome === 'unknown')
          .map(e => ({
            message: `Policy "${e.policy}" (binding "${
              e.binding
            }") could not be simulated: ${e.reason ?? 'unknown reason'}`,
            path: e.object.evaluatedAs === 'Pod' ? context.podSpecPath : 'spec',
            ...(e.expression ? { evidence: e.expression } : {}),
          })),
};

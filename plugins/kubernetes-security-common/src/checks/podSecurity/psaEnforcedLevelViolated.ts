import type { WorkloadCheck } from '../types';
import {
  namespaceLevelViolations,
  violationFinding,
} from './namespaceLevelViolations';
import { psaEnforcedLevelViolatedMetadata } from './metadata';

export const psaEnforcedLevelViolated: WorkloadCheck = {
  scope: 'workload',
  ...psaEnforcedLevelViolatedMetadata,
  run(context) {
    const result = namespaceLevelViolations(context, 'enforce');
    if (!result) return [];
    return result.violations.map(violation =>
      violationFinding(
        violation,
        result,
        'Pods with this spec are rejected at admission.',
      ),
    );
  },
};

import type { WorkloadCheck } from '../types';
import {
  namespaceLevelViolations,
  violationFinding,
} from './namespaceLevelViolations';
import { psaWarnLevelViolatedMetadata } from './metadata';

export const psaWarnLevelViolated: WorkloadCheck = {
  scope: 'workload',
  ...psaWarnLevelViolatedMetadata,
  run(context) {
    const warned = namespaceLevelViolations(context, 'warn');
    if (!warned) return [];
    const enforced = new Set(
      namespaceLevelViolations(context, 'enforce')?.violations.flatMap(
        ({ fields }) => fields.map(({ path }) => path),
      ),
    );
    return warned.violations
      .map(violation => ({
        ...violation,
        fields: violation.fields.filter(({ path }) => !enforced.has(path)),
      }))
      .filter(({ fields }) => fields.length > 0)
      .map(violation =>
        violationFinding(
          violation,
          warned,
          'Creating such pods prints a warning.',
        ),
      );
  },
};

/**
 * Kubernetes Security frontend plugin (legacy frontend system exports; the
 * new frontend system plugin is the default export of `/alpha`).
 *
 * @packageDocumentation
 */
export {
  kubernetesSecurityPlugin,
  EntityKubernetesSecurityContent,
  EntityKubernetesSecurityCard,
  EntityKubernetesSecurityTeamContent,
  KubernetesSecurityPage,
  EntitySecurityGradeChip,
} from './plugin';
export {
  SecurityGradeChip,
  createSecurityGradeColumn,
} from './components/grades';
export type {
  SecurityGradeChipProps,
  EntitySecurityGradeChipProps,
} from './components/grades';
export { kubernetesSecurityApiRef } from './api/KubernetesSecurityApi';
export type { KubernetesSecurityApi } from './api/KubernetesSecurityApi';
export { KubernetesSecurityClient } from './api/KubernetesSecurityClient';
export { hasKubernetesAnnotations as isKubernetesSecurityAvailable } from '@internal/plugin-kubernetes-security-common';

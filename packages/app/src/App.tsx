import { createApp } from '@backstage/frontend-defaults';
import kubernetesPlugin from '@backstage/plugin-kubernetes/alpha';
import orgPlugin from '@backstage/plugin-org/alpha';
import userSettingsPlugin from '@backstage/plugin-user-settings/alpha';
import kubernetesSecurityPlugin from '@internal/plugin-kubernetes-security/alpha';
import { navModule } from './modules/nav';
import { catalogWithSecurityGrades } from './modules/catalog/catalogWithSecurityGrades';

export default createApp({
  features: [
    catalogWithSecurityGrades,
    orgPlugin,
    userSettingsPlugin,
    // The official plugin's "Kubernetes" tab (live objects) beside our "Security" tab.
    kubernetesPlugin,
    kubernetesSecurityPlugin,
    navModule,
  ],
});

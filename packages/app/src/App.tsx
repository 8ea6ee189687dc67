import { createApp } from '@backstage/frontend-defaults';
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
    kubernetesSecurityPlugin,
    navModule,
  ],
});

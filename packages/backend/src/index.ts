import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

// Sign-in: the demo uses the guest provider.
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

// Replace the allow-all policy with your organisation's before production.
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import('@backstage/plugin-permission-backend-module-allow-all-policy'),
);

// The official Kubernetes plugin (live objects for the "Kubernetes" tab) and
// ours read the same `kubernetes` config: clusters are configured once.
backend.add(import('@backstage/plugin-kubernetes-backend'));
backend.add(import('@internal/plugin-kubernetes-security-backend'));

backend.start();

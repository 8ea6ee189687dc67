import { createRouteRef } from '@backstage/core-plugin-api';

/** The standalone team scorecards page (legacy frontend system). */
export const rootRouteRef = createRouteRef({ id: 'kubernetes-security' });

export const entityContentRouteRef = createRouteRef({
  id: 'kubernetes-security:entity-content',
});

export const groupContentRouteRef = createRouteRef({
  id: 'kubernetes-security:group-content',
});

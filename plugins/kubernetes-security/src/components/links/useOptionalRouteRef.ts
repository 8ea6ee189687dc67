import {
  AnyRouteRefParams,
  RouteFunc,
  RouteRef,
  SubRouteRef,
  useRouteRef,
} from '@backstage/core-plugin-api';

/**
 * A route's link function, or undefined when the app mounts no page for it
 * (e.g. it has the Security tab but not the plugin's page): links then
 * become plain text instead of breaking the page.
 */
export function useOptionalRouteRef<Params extends AnyRouteRefParams>(
  routeRef: RouteRef<Params> | SubRouteRef<Params>,
): RouteFunc<Params> | undefined {
  try {
    // Called on every render, in the same order: the try only catches its throw.
    // eslint-disable-next-line react-hooks/rules-of-hooks
    return useRouteRef(routeRef);
  } catch {
    return undefined;
  }
}

import type { AuthService } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import type { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
} from '@internal/plugin-kubernetes-security-common';

/** The catalog's entities of these kinds that opt into Kubernetes, with what a scan reads of them. */
export async function fetchScannedEntities(options: {
  catalog: CatalogService;
  auth: AuthService;
  entityKinds: string[];
}): Promise<Entity[]> {
  const { catalog, auth, entityKinds } = options;
  const { items } = await catalog.getEntities(
    {
      filter: entityKinds.flatMap(kind =>
        [ANNOTATION_KUBERNETES_ID, ANNOTATION_KUBERNETES_LABEL_SELECTOR].map(
          (annotation): Record<string, string | symbol> => ({
            kind,
            [`metadata.annotations.${annotation}`]: CATALOG_FILTER_EXISTS,
          }),
        ),
      ),
      fields: [
        'kind',
        'metadata.name',
        'metadata.namespace',
        'metadata.annotations',
        'relations',
      ],
    },
    { credentials: await auth.getOwnServiceCredentials() },
  );
  return items;
}

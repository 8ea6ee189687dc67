import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { CatalogTable } from '@backstage/plugin-catalog';
import catalogPlugin, {
  CatalogIndexPage,
  CatalogTableColumnsFunc,
  CatalogTableRow,
} from '@backstage/plugin-catalog/alpha';
import { createSecurityGradeColumn } from '@internal/plugin-kubernetes-security';

const securityColumn = createSecurityGradeColumn<CatalogTableRow>();

/** The catalog's own columns, plus the grade where scans apply (Components). */
export const columnsWithSecurityGrade: CatalogTableColumnsFunc = context => {
  const columns = CatalogTable.defaultColumnsFunc(context);
  return context.filters.kind?.value?.toLocaleLowerCase('en-US') === 'component'
    ? [...columns, securityColumn]
    : columns;
};

/**
 * `page:catalog` takes no columns as of @backstage/plugin-catalog 2.1, so
 * this override keeps the page (its route, filters and configuration) and
 * only swaps what it renders for the same index page with one more column.
 */
export const catalogWithSecurityGrades = catalogPlugin.withOverrides({
  extensions: [
    catalogPlugin.getExtension('page:catalog').override({
      factory(originalFactory, { inputs, config }) {
        const filters = inputs.filters.map(filter =>
          filter.get(coreExtensionData.reactElement),
        );
        return originalFactory({
          params: {
            loader: async () => (
              <CatalogIndexPage
                columns={columnsWithSecurityGrade}
                filters={filters.length ? <>{filters}</> : undefined}
                pagination={config.pagination}
                exportSettings={
                  config.exportSettings?.enabled
                    ? config.exportSettings
                    : undefined
                }
              />
            ),
          },
        });
      },
    }),
  ],
});

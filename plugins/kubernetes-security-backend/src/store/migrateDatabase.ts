import type { DatabaseService } from '@backstage/backend-plugin-api';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';

/**
 * The plugin's database client, migrated to the latest schema (reports,
 * scans, signature cache, score history all share one migration list).
 */
export async function migrateDatabase(
  database: DatabaseService,
): Promise<Knex> {
  const knex = await database.getClient();
  if (!database.migrations?.skip) {
    await knex.migrate.latest({
      directory: resolvePackagePath(
        '@internal/plugin-kubernetes-security-backend',
        'migrations',
      ),
    });
  }
  return knex;
}

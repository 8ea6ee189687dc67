import type {
  AuthService,
  DatabaseService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { firstDayOfWindow, HistoryStore } from './HistoryStore';

export const DEFAULT_RETENTION_DAYS = 90;

/** `kubernetesSecurity.history.retentionDays`, default 90, at least 1. */
export function readRetentionDays(config: Config): number {
  const days = config.getOptionalNumber(
    'kubernetesSecurity.history.retentionDays',
  );
  if (days === undefined) return DEFAULT_RETENTION_DAYS;
  if (!Number.isInteger(days) || days < 1) {
    throw new Error(
      `kubernetesSecurity.history.retentionDays must be a whole number of days ≥ 1, got ${days}`,
    );
  }
  return days;
}

export interface HistoryRetentionOptions {
  history: HistoryStore;
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
  retentionDays: number;
  /** The kinds scans cover: only those have history. */
  entityKinds: string[];
}

/**
 * Drops days older than the retention and the history of entities no
 * longer in the catalog. Returns what it removed.
 */
export async function cleanUpHistory(
  options: HistoryRetentionOptions,
  now: Date = new Date(),
): Promise<{ expiredRows: number; removedEntities: number }> {
  const { history, catalog, auth, retentionDays, entityKinds } = options;
  const expiredRows = await history.deleteBefore(
    firstDayOfWindow(retentionDays, now),
  );
  const { items } = await catalog.getEntities(
    {
      filter: entityKinds.map(kind => ({ kind })),
      fields: ['kind', 'metadata.namespace', 'metadata.name'],
    },
    { credentials: await auth.getOwnServiceCredentials() },
  );
  const removedEntities = await history.deleteEntitiesExcept(
    new Set(items.map(entity => stringifyEntityRef(entity))),
  );
  return { expiredRows, removedEntities };
}

/** Runs the clean-up once a day on the scheduler, on one instance at a time. */
export async function scheduleHistoryRetention(
  scheduler: SchedulerService,
  options: HistoryRetentionOptions,
): Promise<void> {
  await scheduler.scheduleTask({
    id: 'kubernetes-security:history-retention',
    scope: 'global',
    frequency: { hours: 24 },
    timeout: { minutes: 10 },
    // Leaves the catalog time to load after a start-up.
    initialDelay: { minutes: 10 },
    fn: async () => {
      const removed = await cleanUpHistory(options);
      options.logger.info(
        `Score history clean-up: ${removed.expiredRows} rows older than ${options.retentionDays} days, ` +
          `${removed.removedEntities} entities no longer in the catalog`,
      );
    },
  });
}

/**
 * The plugin's score history: the store, its daily clean-up on the
 * scheduler, and the options of the scorecard routes.
 */
export async function setUpScoreHistory(deps: {
  config: Config;
  database: DatabaseService;
  scheduler: SchedulerService;
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
}): Promise<{
  store: HistoryStore;
  scorecards: {
    history: HistoryStore;
    retentionDays: number;
    entityKinds: string[];
  };
}> {
  const store = await HistoryStore.create(deps.database);
  const retentionDays = readRetentionDays(deps.config);
  const entityKinds = deps.config.getOptionalStringArray(
    'kubernetesSecurity.entityKinds',
  ) ?? ['Component'];
  await scheduleHistoryRetention(deps.scheduler, {
    ...deps,
    history: store,
    retentionDays,
    entityKinds,
  });
  return {
    store,
    scorecards: { history: store, retentionDays, entityKinds },
  };
}

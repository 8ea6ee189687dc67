import type {
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  RELATION_CHILD_OF,
  RELATION_OWNED_BY,
  RELATION_PARENT_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  buildTeamScorecardDetail,
  buildTeamScorecards,
  EntityHistoryResponse,
  OrgGroup,
  OwnedService,
  ScorecardInput,
  TeamScorecardDetailResponse,
  TeamScorecardsResponse,
} from '@internal/plugin-kubernetes-security-common';
import express from 'express';
import Router from 'express-promise-router';
import { firstDayOfWindow, HistoryStore } from '../store/HistoryStore';

export interface ScorecardsRouterOptions {
  httpAuth: HttpAuthService;
  catalog: CatalogService;
  history: HistoryStore;
  /** The kinds scans cover; their entities are a team's services. Default `[Component]`. */
  entityKinds?: string[];
  /** The longest window a caller may ask for. Default 90. */
  retentionDays?: number;
}

const DEFAULT_DAYS = 30;

function relationTargets(entity: Entity, type: string): string[] {
  return (entity.relations ?? [])
    .filter(relation => relation.type === type)
    .map(relation => relation.targetRef);
}

function groupOf(entity: Entity): OrgGroup {
  const profile = (entity.spec as { profile?: { displayName?: unknown } })
    ?.profile;
  const displayName =
    typeof profile?.displayName === 'string' ? profile.displayName : undefined;
  return {
    ref: stringifyEntityRef(entity),
    title: entity.metadata.title ?? displayName ?? entity.metadata.name,
    parentRefs: relationTargets(entity, RELATION_CHILD_OF),
    childRefs: relationTargets(entity, RELATION_PARENT_OF),
  };
}

function serviceOf(entity: Entity): OwnedService {
  return {
    ref: stringifyEntityRef(entity),
    ...(entity.metadata.title ? { title: entity.metadata.title } : {}),
    ownerRefs: relationTargets(entity, RELATION_OWNED_BY),
  };
}

/**
 * Team scorecards and score history. Everything is computed over what the
 * caller may see: one catalog request with the caller's credentials, then
 * one database query over those entities, whatever their number.
 */
export function createScorecardsRouter(
  options: ScorecardsRouterOptions,
): express.Router {
  const { httpAuth, catalog, history } = options;
  const entityKinds = options.entityKinds ?? ['Component'];
  const maxDays = options.retentionDays ?? 90;
  const router = Router();

  const readDays = (value: unknown): number => {
    if (value === undefined) return Math.min(DEFAULT_DAYS, maxDays);
    const days = Number(value);
    if (!Number.isInteger(days) || days < 1 || days > maxDays) {
      throw new InputError(
        `days must be a whole number from 1 to ${maxDays} (the history's retention)`,
      );
    }
    return days;
  };

  const credentialsOf = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  async function scorecardInput(
    credentials: BackstageCredentials,
    days: number,
  ): Promise<ScorecardInput> {
    const { items } = await catalog.getEntities(
      {
        filter: [{ kind: 'Group' }, ...entityKinds.map(kind => ({ kind }))],
        fields: [
          'kind',
          'metadata.namespace',
          'metadata.name',
          'metadata.title',
          'spec.profile.displayName',
          'relations',
        ],
      },
      { credentials },
    );
    const groups = items.filter(
      e => e.kind.toLocaleLowerCase('en-US') === 'group',
    );
    const services = items.filter(
      e => e.kind.toLocaleLowerCase('en-US') !== 'group',
    );
    const { current, history: points } = await history.getScores(
      services.map(entity => stringifyEntityRef(entity)),
      firstDayOfWindow(days),
    );
    return {
      groups: groups.map(groupOf),
      services: services.map(serviceOf),
      current,
      history: points,
    };
  }

  router.get('/v1/scorecards/teams', async (req, res) => {
    const credentials = await credentialsOf(req);
    const days = readDays(req.query.days);
    const body: TeamScorecardsResponse = {
      days,
      generatedAt: new Date().toISOString(),
      teams: buildTeamScorecards(await scorecardInput(credentials, days)),
    };
    res.json(body);
  });

  router.get('/v1/scorecards/teams/:namespace/:name', async (req, res) => {
    const credentials = await credentialsOf(req);
    const days = readDays(req.query.days);
    const teamRef = stringifyEntityRef({
      kind: 'Group',
      namespace: req.params.namespace,
      name: req.params.name,
    });
    const detail = buildTeamScorecardDetail(
      await scorecardInput(credentials, days),
      teamRef,
    );
    // Hidden and unknown teams answer alike.
    if (!detail) throw new NotFoundError(`No team ${teamRef} found`);
    const body: TeamScorecardDetailResponse = {
      days,
      generatedAt: new Date().toISOString(),
      ...detail,
    };
    res.json(body);
  });

  router.get(
    '/v1/entities/:kind/:namespace/:name/history',
    async (req, res) => {
      const credentials = await credentialsOf(req);
      const days = readDays(req.query.days);
      const entityRef = stringifyEntityRef({
        kind: req.params.kind,
        namespace: req.params.namespace,
        name: req.params.name,
      });
      // The catalog applies the caller's read permission.
      if (!(await catalog.getEntityByRef(entityRef, { credentials }))) {
        throw new NotFoundError(`No entity ${entityRef} found`);
      }
      const points = await history.getEntityHistory(
        entityRef,
        firstDayOfWindow(days),
      );
      const body: EntityHistoryResponse = {
        entityRef,
        days,
        points: points.map(({ entityRef: _ref, ...point }) => point),
      };
      res.json(body);
    },
  );

  return router;
}

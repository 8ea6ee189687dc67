import { TestDatabases } from '@backstage/backend-test-utils';
import type { TestDatabaseId } from '@backstage/backend-test-utils';
import type {
  CachedVerdict,
  VerdictCacheKey,
} from '@internal/plugin-kubernetes-security-signatures-node';
import { SignatureCache } from './SignatureCache';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const key: VerdictCacheKey = {
  repository: 'registry.example.com/team/app',
  digest: `sha256:${'a'.repeat(64)}`,
  artifacts: [`sha256:${'b'.repeat(64)}`],
  policyHash: 'p1',
  trustHash: 't1',
};
const verdict = (state: CachedVerdict['state']): CachedVerdict => ({
  state,
  reason: 'because',
  signatures: [],
  verifiedAt: '2026-11-28T10:00:00.000Z',
});

async function createCache(databaseId: TestDatabaseId, now: () => Date) {
  const knex = await databases.init(databaseId);
  await SignatureCache.create({
    getClient: async () => knex,
    migrations: { skip: false },
  } as any);
  return new SignatureCache(
    knex,
    { verifiedMs: 7 * 86_400_000, unsignedMs: 3_600_000 },
    now,
  );
}

describe.each(databases.eachSupportedId())(
  'SignatureCache on %p',
  databaseId => {
    it('keeps verdicts by state for their own time and never transient ones', async () => {
      let now = new Date('2026-11-28T10:00:00.000Z');
      const cache = await createCache(databaseId, () => now);
      await cache.put(key, verdict('verified'));
      const unsignedKey = { ...key, artifacts: [] };
      await cache.put(unsignedKey, verdict('unsigned'));
      const transientKey = { ...key, digest: `sha256:${'c'.repeat(64)}` };
      await cache.put(transientKey, verdict('registry-unreachable'));

      expect(await cache.get(key)).toEqual(verdict('verified'));
      expect(await cache.get(unsignedKey)).toEqual(verdict('unsigned'));
      expect(await cache.get(transientKey)).toBeUndefined();

      now = new Date('2026-11-28T11:30:00.000Z');
      expect(await cache.get(unsignedKey)).toBeUndefined();
      expect(await cache.get(key)).toBeDefined();
      expect(await cache.prune()).toBe(1);

      now = new Date('2026-12-06T10:00:00.000Z');
      expect(await cache.get(key)).toBeUndefined();
    });

    it('misses when the signatures, policy or trust root change, and overwrites', async () => {
      const cache = await createCache(databaseId, () => new Date());
      await cache.put(key, verdict('verified'));
      expect(
        await cache.get({
          ...key,
          artifacts: [...key.artifacts, `sha256:${'d'.repeat(64)}`],
        }),
      ).toBeUndefined();
      expect(await cache.get({ ...key, policyHash: 'p2' })).toBeUndefined();
      expect(await cache.get({ ...key, trustHash: 't2' })).toBeUndefined();
      await cache.put(key, verdict('invalid-signature'));
      expect((await cache.get(key))?.state).toBe('invalid-signature');
    });
  },
);

import { type SimulatedCluster, startSimulatedCluster } from './cluster';

describe('fault injection', () => {
  let cluster: SimulatedCluster;
  const get = (path: string) =>
    fetch(`${cluster.url}${path}`, {
      headers: { Authorization: 'Bearer t' },
      signal: AbortSignal.timeout(2_000),
    });

  beforeEach(async () => {
    cluster = await startSimulatedCluster({
      tokens: [
        {
          token: 't',
          username: 'reader',
          rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['list'] }],
        },
      ],
      objects: [
        {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: 'shop' },
        },
      ],
    });
  });
  afterEach(() => cluster.stop());

  it('answers matching requests with an error status, as often as asked', async () => {
    cluster.injectFault({
      type: 'status',
      code: 429,
      retryAfterSeconds: 2,
      times: 2,
      match: request => request.path === '/api/v1/namespaces',
    });
    expect((await get('/version')).status).toBe(200);
    const limited = await get('/api/v1/namespaces');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('Retry-After')).toBe('2');
    expect(await limited.json()).toMatchObject({
      kind: 'Status',
      reason: 'TooManyRequests',
      code: 429,
    });
    expect((await get('/api/v1/namespaces')).status).toBe(429);
    expect((await get('/api/v1/namespaces')).status).toBe(200);
    expect(cluster.requestLog.map(entry => entry.fault)).toEqual([
      undefined,
      'status',
      'status',
      undefined,
    ]);
  });

  it('sends garbage, stalls and drops connections until the faults are cleared', async () => {
    cluster.injectFault({ type: 'garbage', times: 1 });
    await expect((await get('/version')).json()).rejects.toThrow(/JSON/);

    cluster.injectFault({ type: 'stall' });
    await expect(
      fetch(`${cluster.url}/version`, { signal: AbortSignal.timeout(100) }),
    ).rejects.toThrow(/timeout/i);
    cluster.clearFaults();

    cluster.injectFault({ type: 'drop', times: 1 });
    await expect(get('/version')).rejects.toThrow(/fetch failed/);
    expect((await get('/version')).status).toBe(200);
  });

  it('dies on the second page of a list and comes back on the same port', async () => {
    cluster.add({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'web' },
    });
    cluster.injectFault({
      type: 'die',
      times: 1,
      match: request => request.query.has('continue'),
    });
    const first = await (await get('/api/v1/namespaces?limit=1')).json();
    await expect(
      get(
        `/api/v1/namespaces?limit=1&continue=${encodeURIComponent(
          first.metadata.continue,
        )}`,
      ),
    ).rejects.toThrow();
    await expect(get('/version')).rejects.toThrow();

    await cluster.restart();
    const all = await (await get('/api/v1/namespaces')).json();
    expect(all.items.map((ns: any) => ns.metadata.name)).toEqual([
      'shop',
      'web',
    ]);
  });
});

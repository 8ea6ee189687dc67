import { type SimulatedCluster, startSimulatedCluster } from './cluster';
import { encodeContinueToken } from './pagination';
import type { KubeObject, TokenGrant } from './types';

const READER: TokenGrant = {
  token: 'reader-token',
  username: 'system:serviceaccount:backstage:reader',
  groups: ['system:serviceaccounts'],
  rules: [
    { apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list', 'watch'] },
  ],
};
const SHOP_READER: TokenGrant = {
  token: 'shop-token',
  username: 'alice',
  rules: [
    {
      apiGroups: [''],
      resources: ['pods', 'pods/log'],
      verbs: ['get', 'list'],
      namespaces: ['shop'],
    },
    {
      apiGroups: [''],
      resources: ['secrets'],
      verbs: ['get', 'list'],
      resourceNames: ['visible'],
    },
    { nonResourceURLs: ['/metrics'], verbs: ['get'] },
  ],
};
const ADMIN: TokenGrant = {
  token: 'admin-token',
  username: 'admin',
  uid: 'admin-uid',
  groups: ['system:masters'],
  rules: [
    { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
    { nonResourceURLs: ['*'], verbs: ['*'] },
  ],
};

function pod(
  namespace: string,
  name: string,
  extra: Partial<KubeObject> = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { app: name.replace(/-\d+$/, '') } },
    spec: {
      nodeName: 'node-a',
      containers: [{ name: 'main', image: 'nginx:1.25' }],
    },
    status: { phase: 'Running' },
    ...extra,
  };
}

const OBJECTS: KubeObject[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tools' } },
  ...['web-1', 'web-2', 'web-3', 'api-1', 'api-2'].map(name =>
    pod('shop', name),
  ),
  pod('tools', 'job-1', {
    spec: { nodeName: 'node-b', containers: [] },
    status: { phase: 'Succeeded' },
  }),
  pod('tools', 'web-9'),
  pod('tools', 'pending-1', {
    spec: { containers: [] },
    status: { phase: 'Pending' },
  }),
  {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'visible', namespace: 'shop' },
    type: 'Opaque',
    data: { password: 'aHVudGVyMg==' },
  },
  {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'legacy-token', namespace: 'shop' },
    type: 'kubernetes.io/service-account-token',
    data: { token: 'dG9rZW4=' },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop' },
    spec: { replicas: 3 },
  },
  {
    apiVersion: 'wgpolicyk8s.io/v1alpha2',
    kind: 'PolicyReport',
    metadata: { name: 'report', namespace: 'shop' },
    results: [],
  },
  {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'policyreports.wgpolicyk8s.io' },
    spec: {
      group: 'wgpolicyk8s.io',
      scope: 'Namespaced',
      names: {
        plural: 'policyreports',
        kind: 'PolicyReport',
        listKind: 'PolicyReportList',
      },
      versions: [{ name: 'v1alpha2', served: true, storage: true }],
    },
  },
];

let cluster: SimulatedCluster;

async function request(
  path: string,
  options: {
    token?: string;
    accept?: string;
    method?: string;
    body?: unknown;
  } = {},
) {
  const headers: Record<string, string> = {};
  const token = 'token' in options ? options.token : READER.token;
  if (token) headers.Authorization = `Bearer ${token}`;
  if (options.accept) headers.Accept = options.accept;
  const response = await fetch(`${cluster.url}${path}`, {
    method: options.method ?? 'GET',
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    body: text.startsWith('{') ? JSON.parse(text) : text,
  };
}

beforeAll(async () => {
  cluster = await startSimulatedCluster({
    name: 'test',
    version: 'v1.30.1',
    tokens: [READER, SHOP_READER, ADMIN],
    objects: OBJECTS,
  });
});

afterAll(() => cluster.stop());

describe('authentication and authorization', () => {
  it.each([undefined, 'wrong-token'])(
    'answers 401 for token %s',
    async token => {
      const { status, body } = await request('/api/v1/pods', { token });
      expect(status).toBe(401);
      expect(body).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'Unauthorized',
        reason: 'Unauthorized',
        code: 401,
      });
    },
  );

  it('answers 403 at the cluster scope', async () => {
    const { status, body } = await request('/api/v1/pods', {
      token: SHOP_READER.token,
    });
    expect(status).toBe(403);
    expect(body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'pods is forbidden: User "alice" cannot list resource "pods" in API group "" at the cluster scope',
      reason: 'Forbidden',
      details: { kind: 'pods' },
      code: 403,
    });
  });

  it('answers 403 in a namespace, naming object and group', async () => {
    const { status, body } = await request(
      '/apis/apps/v1/namespaces/shop/deployments/web',
      {
        token: SHOP_READER.token,
      },
    );
    expect(status).toBe(403);
    expect(body.message).toBe(
      'deployments.apps "web" is forbidden: User "alice" cannot get resource "deployments" in API group "apps" in the namespace "shop"',
    );
    expect(body.details).toEqual({
      name: 'web',
      group: 'apps',
      kind: 'deployments',
    });
  });

  it('applies namespaced rules, resourceNames and subresources', async () => {
    expect(
      (
        await request('/api/v1/namespaces/shop/pods', {
          token: SHOP_READER.token,
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await request('/api/v1/namespaces/tools/pods', {
          token: SHOP_READER.token,
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await request('/api/v1/namespaces/shop/secrets/visible', {
          token: SHOP_READER.token,
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await request('/api/v1/namespaces/shop/secrets/legacy-token', {
          token: SHOP_READER.token,
        })
      ).status,
    ).toBe(403);
    // A list narrowed to one name by fieldSelector is authorized against resourceNames.
    expect(
      (
        await request(
          '/api/v1/namespaces/shop/secrets?fieldSelector=metadata.name%3Dvisible',
          { token: SHOP_READER.token },
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await request('/api/v1/namespaces/shop/secrets', {
          token: SHOP_READER.token,
        })
      ).status,
    ).toBe(403);
    const log = await request('/api/v1/namespaces/tools/pods/web-9/log', {
      token: SHOP_READER.token,
    });
    expect(log.body.message).toContain(
      'cannot get resource "pods/log" in API group "" in the namespace "tools"',
    );
  });

  it('lets every authenticated user discover the API', async () => {
    for (const path of [
      '/version',
      '/api',
      '/api/v1',
      '/apis',
      '/apis/apps',
      '/apis/apps/v1',
    ]) {
      expect((await request(path, { token: SHOP_READER.token })).status).toBe(
        200,
      );
    }
    const forbidden = await request('/logs', { token: SHOP_READER.token });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toMatchObject({
      message: 'forbidden: User "alice" cannot get path "/logs"',
      details: {},
    });
  });
});

describe('get', () => {
  it('returns the object with apiVersion and kind', async () => {
    const { status, body } = await request(
      '/api/v1/namespaces/shop/pods/web-1',
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({
      kind: 'Pod',
      apiVersion: 'v1',
      metadata: { name: 'web-1', namespace: 'shop' },
      spec: { nodeName: 'node-a' },
    });
    expect(body.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(body.metadata.resourceVersion)).toBeGreaterThan(0);
  });

  it('serves namespaces, which are addressed under /namespaces/<name>', async () => {
    const { body } = await request('/api/v1/namespaces/tools');
    expect(body).toMatchObject({
      kind: 'Namespace',
      metadata: { name: 'tools' },
    });
    expect(body.metadata).not.toHaveProperty('namespace');
  });

  it('answers 404 with a NotFound Status', async () => {
    expect((await request('/api/v1/namespaces/shop/pods/x')).body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'pods "x" not found',
      reason: 'NotFound',
      details: { name: 'x', kind: 'pods' },
      code: 404,
    });
    expect(
      (await request('/apis/apps/v1/namespaces/shop/deployments/x')).body,
    ).toMatchObject({
      message: 'deployments.apps "x" not found',
      details: { name: 'x', group: 'apps', kind: 'deployments' },
    });
  });

  it.each([
    '/apis/example.com/v1/widgets',
    '/api/v1/widgets',
    '/api/v1/pods/web-1',
    '/api/v1/namespaces/shop/nodes',
    '/apis/nope',
    '/api/v2',
  ])('answers 404 for the unserved path %s', async path => {
    const { status, body } = await request(path, { token: ADMIN.token });
    expect(status).toBe(404);
    expect(body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'the server could not find the requested resource',
      reason: 'NotFound',
      details: {},
      code: 404,
    });
  });

  it('answers 405 to writes it is allowed to attempt', async () => {
    const { status, body } = await request(
      '/api/v1/namespaces/shop/pods/web-1',
      {
        token: ADMIN.token,
        method: 'DELETE',
      },
    );
    expect(status).toBe(405);
    expect(body).toMatchObject({
      kind: 'Status',
      reason: 'MethodNotAllowed',
      code: 405,
    });
  });

  it.each([
    ['GET', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews'],
    ['GET', '/api/v1/pods?watch=true'],
    ['GET', '/api/v1/namespaces/shop/pods/web-1/exec'],
    ['PUT', '/api/v1/namespaces/shop/pods/web-1'],
  ])('answers 405 to %s %s', async (method, path) => {
    const { status } = await request(path, { token: ADMIN.token, method });
    expect(status).toBe(405);
  });

  it('serves the status subresource as the whole object', async () => {
    const { body } = await request('/api/v1/namespaces/shop/pods/web-1/status');
    expect(body).toMatchObject({ kind: 'Pod', status: { phase: 'Running' } });
  });
});

describe('list', () => {
  it('returns a typed list whose items carry no apiVersion/kind', async () => {
    const { body } = await request('/api/v1/namespaces/shop/pods');
    expect(body).toMatchObject({ kind: 'PodList', apiVersion: 'v1' });
    expect(body.metadata).toEqual({
      resourceVersion: expect.stringMatching(/^\d+$/),
    });
    expect(body.items.map((item: KubeObject) => item.metadata.name)).toEqual([
      'api-1',
      'api-2',
      'web-1',
      'web-2',
      'web-3',
    ]);
    expect(body.items[0]).not.toHaveProperty('kind');
    expect(body.items[0]).not.toHaveProperty('apiVersion');
  });

  it('lists across namespaces in namespace/name order', async () => {
    const { body } = await request('/api/v1/pods');
    expect(
      body.items.map(
        (i: KubeObject) => `${i.metadata.namespace}/${i.metadata.name}`,
      ),
    ).toEqual([
      'shop/api-1',
      'shop/api-2',
      'shop/web-1',
      'shop/web-2',
      'shop/web-3',
      'tools/job-1',
      'tools/pending-1',
      'tools/web-9',
    ]);
  });

  it('keeps apiVersion/kind on custom resource items', async () => {
    const { body } = await request(
      '/apis/wgpolicyk8s.io/v1alpha2/policyreports',
    );
    expect(body).toMatchObject({
      kind: 'PolicyReportList',
      apiVersion: 'wgpolicyk8s.io/v1alpha2',
      items: [
        {
          kind: 'PolicyReport',
          apiVersion: 'wgpolicyk8s.io/v1alpha2',
          metadata: { name: 'report' },
        },
      ],
    });
  });

  it.each([
    [
      'labelSelector=app%3Dweb',
      ['shop/web-1', 'shop/web-2', 'shop/web-3', 'tools/web-9'],
    ],
    [
      'labelSelector=app%20in%20(api,job)',
      ['shop/api-1', 'shop/api-2', 'tools/job-1'],
    ],
    [
      'labelSelector=app!%3Dweb,app%20notin%20(api)',
      ['tools/job-1', 'tools/pending-1'],
    ],
    [
      'fieldSelector=metadata.namespace%3Dtools',
      ['tools/job-1', 'tools/pending-1', 'tools/web-9'],
    ],
    ['fieldSelector=spec.nodeName%3Dnode-b', ['tools/job-1']],
    ['fieldSelector=spec.nodeName%3D', ['tools/pending-1']],
    [
      'fieldSelector=status.phase!%3DRunning',
      ['tools/job-1', 'tools/pending-1'],
    ],
    ['fieldSelector=metadata.name%3D%3Dweb-9', ['tools/web-9']],
    [
      'fieldSelector=status.phase%3DRunning&labelSelector=app%3Dapi',
      ['shop/api-1', 'shop/api-2'],
    ],
  ])('filters with %s', async (query, expected) => {
    const { body } = await request(`/api/v1/pods?${query}`);
    expect(
      body.items.map(
        (i: KubeObject) => `${i.metadata.namespace}/${i.metadata.name}`,
      ),
    ).toEqual(expected);
  });

  it('filters secrets by type', async () => {
    const { body } = await request(
      '/api/v1/secrets?fieldSelector=type%3Dkubernetes.io%2Fservice-account-token',
    );
    expect(body.items.map((i: KubeObject) => i.metadata.name)).toEqual([
      'legacy-token',
    ]);
  });

  it.each([
    ['fieldSelector=spec.foo%3Dbar', 'field label not supported: spec.foo'],
    [
      'fieldSelector=status.phase%3DRunning',
      'field label not supported: status.phase',
      '/api/v1/secrets',
    ],
    [
      'labelSelector=app%20in%20()',
      "unable to parse requirement: for 'in', 'notin' operators, values set can't be empty",
    ],
  ])('answers 400 for %s', async (query, message, path = '/api/v1/pods') => {
    const { status, body } = await request(`${path}?${query}`);
    expect(status).toBe(400);
    expect(body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason: 'BadRequest',
      code: 400,
    });
  });
});

describe('pagination', () => {
  async function listAllPages(path: string) {
    const pages = [];
    let continueToken: string | undefined;
    do {
      const separator = path.includes('?') ? '&' : '?';
      const query = continueToken
        ? `&continue=${encodeURIComponent(continueToken)}`
        : '';
      const { body } = await request(`${path}${separator}limit=3${query}`);
      pages.push(body);
      continueToken = body.metadata.continue;
    } while (continueToken);
    return pages;
  }

  it('returns every object exactly once across pages', async () => {
    const pages = await listAllPages('/api/v1/pods');
    const names = pages.flatMap(page =>
      page.items.map(
        (i: KubeObject) => `${i.metadata.namespace}/${i.metadata.name}`,
      ),
    );
    expect(names).toHaveLength(8);
    expect(new Set(names).size).toBe(8);
    expect(pages.map(page => page.items.length)).toEqual([3, 3, 2]);
    expect(pages.map(page => page.metadata.remainingItemCount)).toEqual([
      5,
      2,
      undefined,
    ]);
    expect(new Set(pages.map(page => page.metadata.resourceVersion)).size).toBe(
      1,
    );
    expect(pages[0].metadata.continue).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('omits remainingItemCount when selectors filter, and may end on an empty page', async () => {
    const pages = await listAllPages('/api/v1/pods?labelSelector=app%3Dweb');
    expect(
      pages.flatMap(page => page.items.map((i: KubeObject) => i.metadata.name)),
    ).toEqual(['web-1', 'web-2', 'web-3', 'web-9']);
    expect(
      pages.every(page => page.metadata.remainingItemCount === undefined),
    ).toBe(true);
  });

  it('pages within a namespace', async () => {
    const pages = await listAllPages('/api/v1/namespaces/shop/pods');
    expect(
      pages.flatMap(page => page.items.map((i: KubeObject) => i.metadata.name)),
    ).toEqual(['api-1', 'api-2', 'web-1', 'web-2', 'web-3']);
  });

  it('serves later pages from the first page’s snapshot', async () => {
    const first = (await request('/api/v1/namespaces/tools/pods?limit=1')).body;
    cluster.add(pod('tools', 'zz-new'));
    try {
      const second = (
        await request(
          `/api/v1/namespaces/tools/pods?limit=5&continue=${first.metadata.continue}`,
        )
      ).body;
      expect(second.metadata.resourceVersion).toBe(
        first.metadata.resourceVersion,
      );
      expect(second.items.map((i: KubeObject) => i.metadata.name)).toEqual([
        'pending-1',
        'web-9',
      ]);
    } finally {
      cluster.remove({
        apiVersion: 'v1',
        kind: 'Pod',
        namespace: 'tools',
        name: 'zz-new',
      });
    }
  });

  it('answers 400 for a malformed continue token', async () => {
    const { status, body } = await request(
      '/api/v1/pods?limit=1&continue=not-a-token!',
    );
    expect(status).toBe(400);
    expect(body).toMatchObject({ reason: 'BadRequest', code: 400 });
    expect(body.message).toMatch(/^invalid continue token/);
  });

  it('answers 410 Expired for a token whose snapshot is gone, offering an inconsistent continuation', async () => {
    const stale = encodeContinueToken({
      resourceVersion: 1,
      startKey: 'shop/web-1\u0000',
    });
    const { status, body } = await request(
      `/api/v1/pods?limit=2&continue=${stale}`,
    );
    expect(status).toBe(410);
    expect(body).toMatchObject({
      kind: 'Status',
      reason: 'Expired',
      code: 410,
    });
    expect(body.message).toMatch(/^The provided continue parameter is too old/);
    const rest = await request(
      `/api/v1/pods?continue=${body.metadata.continue}`,
    );
    expect(rest.body.items.map((i: KubeObject) => i.metadata.name)).toEqual([
      'web-2',
      'web-3',
      'job-1',
      'pending-1',
      'web-9',
    ]);
  });
});

describe('metadata-only responses', () => {
  const LIST_ACCEPT =
    'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';

  it('lists PartialObjectMetadata without spec, data or status', async () => {
    const { body, contentType } = await request(
      '/api/v1/namespaces/shop/secrets',
      {
        accept: `${LIST_ACCEPT},application/json`,
      },
    );
    expect(contentType).toBe(LIST_ACCEPT);
    expect(body).toMatchObject({
      kind: 'PartialObjectMetadataList',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { resourceVersion: expect.any(String) },
    });
    expect(body.items).toHaveLength(2);
    for (const item of body.items) {
      expect(Object.keys(item).sort()).toEqual([
        'apiVersion',
        'kind',
        'metadata',
      ]);
      expect(item).toMatchObject({
        kind: 'PartialObjectMetadata',
        apiVersion: 'meta.k8s.io/v1',
      });
    }
    expect(JSON.stringify(body)).not.toContain('aHVudGVyMg==');
  });

  it('pages metadata-only lists too', async () => {
    const { body } = await request('/api/v1/pods?limit=2', {
      accept: LIST_ACCEPT,
    });
    expect(body.items).toHaveLength(2);
    expect(body.metadata).toMatchObject({
      continue: expect.any(String),
      remainingItemCount: 6,
    });
  });

  it('returns PartialObjectMetadata for a single object', async () => {
    const { body } = await request('/api/v1/namespaces/shop/secrets/visible', {
      accept: 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1',
    });
    expect(body).toEqual({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: expect.objectContaining({ name: 'visible', namespace: 'shop' }),
    });
  });

  it('honours Accept order and quality, skipping unsupported types', async () => {
    const table = await request('/api/v1/namespaces/shop/pods', {
      accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
    });
    expect(table.body.kind).toBe('PodList');
    const byQuality = await request('/api/v1/namespaces/shop/pods', {
      accept: `application/json;q=0.5,${LIST_ACCEPT};q=0.9`,
    });
    expect(byQuality.body.kind).toBe('PartialObjectMetadataList');
  });

  it('answers 406 when the requested shape does not fit or nothing is acceptable', async () => {
    const singleForList = await request('/api/v1/pods', {
      accept: 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1',
    });
    expect(singleForList.status).toBe(406);
    expect(singleForList.body).toMatchObject({
      reason: 'NotAcceptable',
      code: 406,
    });
    expect(
      (
        await request('/api/v1/pods', {
          accept: 'application/vnd.kubernetes.protobuf',
        })
      ).status,
    ).toBe(406);
  });
});

describe('reviews', () => {
  const ssar = (token: string, spec: object) =>
    request('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      token,
      method: 'POST',
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec,
      },
    });

  it.each([
    [
      {
        resourceAttributes: {
          verb: 'list',
          resource: 'pods',
          namespace: 'shop',
        },
      },
      true,
    ],
    [
      {
        resourceAttributes: {
          verb: 'list',
          resource: 'pods',
          namespace: 'tools',
        },
      },
      false,
    ],
    [{ resourceAttributes: { verb: 'list', resource: 'pods' } }, false],
    [
      {
        resourceAttributes: {
          verb: 'get',
          resource: 'pods',
          subresource: 'log',
          namespace: 'shop',
          name: 'x',
        },
      },
      true,
    ],
    [
      {
        resourceAttributes: {
          verb: 'get',
          resource: 'secrets',
          namespace: 'shop',
          name: 'visible',
        },
      },
      true,
    ],
    [
      {
        resourceAttributes: {
          verb: 'get',
          resource: 'secrets',
          namespace: 'shop',
          name: 'other',
        },
      },
      false,
    ],
    [
      {
        resourceAttributes: {
          verb: 'list',
          group: 'apps',
          resource: 'deployments',
          namespace: 'shop',
        },
      },
      false,
    ],
    [
      {
        resourceAttributes: {
          verb: 'create',
          group: 'authorization.k8s.io',
          resource: 'selfsubjectaccessreviews',
        },
      },
      true,
    ],
    [{ nonResourceAttributes: { verb: 'get', path: '/metrics' } }, true],
    [{ nonResourceAttributes: { verb: 'get', path: '/apis/apps/v1' } }, true],
    [{ nonResourceAttributes: { verb: 'get', path: '/debug/pprof' } }, false],
  ])(
    'answers SelfSubjectAccessReview %j with allowed=%s',
    async (spec, allowed) => {
      const { status, body } = await ssar(SHOP_READER.token, spec);
      expect(status).toBe(201);
      expect(body).toMatchObject({
        kind: 'SelfSubjectAccessReview',
        apiVersion: 'authorization.k8s.io/v1',
        spec,
        status: { allowed },
      });
      expect(body.status).not.toHaveProperty('denied');
    },
  );

  it('rejects a SelfSubjectAccessReview without attributes as Invalid', async () => {
    const { status, body } = await ssar(SHOP_READER.token, {});
    expect(status).toBe(422);
    expect(body).toMatchObject({
      reason: 'Invalid',
      details: {
        group: 'authorization.k8s.io',
        kind: 'SelfSubjectAccessReview',
      },
    });
  });

  it('answers SelfSubjectRulesReview with the rules of a namespace', async () => {
    const { status, body } = await request(
      '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews',
      {
        token: SHOP_READER.token,
        method: 'POST',
        body: {
          kind: 'SelfSubjectRulesReview',
          apiVersion: 'authorization.k8s.io/v1',
          spec: { namespace: 'shop' },
        },
      },
    );
    expect(status).toBe(201);
    expect(body.status.incomplete).toBe(false);
    expect(body.status.resourceRules).toEqual(
      expect.arrayContaining([
        {
          verbs: ['get', 'list'],
          apiGroups: [''],
          resources: ['pods', 'pods/log'],
        },
        {
          verbs: ['get', 'list'],
          apiGroups: [''],
          resources: ['secrets'],
          resourceNames: ['visible'],
        },
        {
          verbs: ['create'],
          apiGroups: ['authorization.k8s.io'],
          resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
        },
      ]),
    );
    expect(body.status.nonResourceRules).toContainEqual({
      verbs: ['get'],
      nonResourceURLs: ['/metrics'],
    });

    const elsewhere = await request(
      '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews',
      {
        token: SHOP_READER.token,
        method: 'POST',
        body: { spec: { namespace: 'tools' } },
      },
    );
    expect(elsewhere.body.status.resourceRules).not.toContainEqual(
      expect.objectContaining({ resources: ['pods', 'pods/log'] }),
    );
  });

  it('answers TokenReview for callers allowed to create them', async () => {
    const { status, body } = await request(
      '/apis/authentication.k8s.io/v1/tokenreviews',
      {
        token: ADMIN.token,
        method: 'POST',
        body: { spec: { token: SHOP_READER.token } },
      },
    );
    expect(status).toBe(201);
    expect(body.status).toMatchObject({
      authenticated: true,
      user: { username: 'alice', groups: ['system:authenticated'] },
    });
    const denied = await request(
      '/apis/authentication.k8s.io/v1/tokenreviews',
      {
        token: SHOP_READER.token,
        method: 'POST',
        body: { spec: { token: 'x' } },
      },
    );
    expect(denied.status).toBe(403);
  });
});

describe('SelfSubjectReview across versions', () => {
  const cases: Array<[string, Record<string, boolean>, string[], string[]]> = [
    ['v1.26.3', {}, [], ['v1alpha1', 'v1beta1', 'v1']],
    [
      'v1.26.3',
      { APISelfSubjectReview: true },
      ['v1alpha1'],
      ['v1beta1', 'v1'],
    ],
    ['v1.27.8', {}, ['v1beta1'], ['v1alpha1', 'v1']],
    ['v1.28.4', {}, ['v1', 'v1beta1'], ['v1alpha1']],
    ['v1.30.1', {}, ['v1'], ['v1alpha1', 'v1beta1']],
  ];

  it.each(cases)(
    'at %s %j serves %j',
    async (version, featureGates, served, unserved) => {
      const versioned = await startSimulatedCluster({
        version,
        featureGates,
        tokens: [ADMIN],
      });
      const review = async (apiVersion: string) => {
        const response = await fetch(
          `${versioned.url}/apis/authentication.k8s.io/${apiVersion}/selfsubjectreviews`,
          {
            method: 'POST',
            headers: {
              Authorization: `Bearer ${ADMIN.token}`,
              'Content-Type': 'application/json',
            },
            body: JSON.stringify({
              apiVersion: `authentication.k8s.io/${apiVersion}`,
              kind: 'SelfSubjectReview',
            }),
          },
        );
        return { status: response.status, body: await response.json() };
      };
      try {
        for (const apiVersion of served) {
          expect(await review(apiVersion)).toEqual({
            status: 201,
            body: {
              kind: 'SelfSubjectReview',
              apiVersion: `authentication.k8s.io/${apiVersion}`,
              metadata: { creationTimestamp: null },
              status: {
                userInfo: {
                  username: 'admin',
                  uid: 'admin-uid',
                  groups: ['system:masters', 'system:authenticated'],
                },
              },
            },
          });
        }
        for (const apiVersion of unserved) {
          expect(await review(apiVersion)).toMatchObject({
            status: 404,
            body: { reason: 'NotFound', code: 404 },
          });
        }
      } finally {
        await versioned.stop();
      }
    },
  );
});

describe('cluster handle', () => {
  it('serves /version as configured', async () => {
    const eks = await startSimulatedCluster({
      version: { gitVersion: 'v1.27.8-eks-1234', minor: '27+' },
      tokens: [READER],
    });
    try {
      const body = await (
        await fetch(`${eks.url}/version`, {
          headers: { Authorization: `Bearer ${READER.token}` },
        })
      ).json();
      expect(body).toEqual({
        major: '1',
        minor: '27+',
        gitVersion: 'v1.27.8-eks-1234',
        gitCommit: expect.stringMatching(/^[0-9a-f]{40}$/),
        gitTreeState: 'clean',
        buildDate: expect.any(String),
        goVersion: 'go1.20.10',
        compiler: 'gc',
        platform: 'linux/amd64',
      });
    } finally {
      await eks.stop();
    }
  });

  it('listens on a fixed port when asked', async () => {
    const probe = await startSimulatedCluster();
    const port = probe.port;
    await probe.stop();
    const fixed = await startSimulatedCluster({ port });
    try {
      expect(fixed.url).toBe(`http://127.0.0.1:${port}`);
    } finally {
      await fixed.stop();
    }
  });

  it('bumps the cluster resourceVersion on every change', async () => {
    const before = Number(
      (await request('/api/v1/configmaps')).body.metadata.resourceVersion,
    );
    const stored = cluster.add({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cm' },
      data: { a: 'b' },
    });
    expect(stored.metadata).toMatchObject({
      namespace: 'default',
      resourceVersion: String(before + 1),
    });
    const list = (await request('/api/v1/configmaps')).body;
    expect(list.metadata.resourceVersion).toBe(String(before + 1));
    expect(list.items).toHaveLength(1);
    expect(
      cluster.remove({ apiVersion: 'v1', kind: 'ConfigMap', name: 'cm' }),
    ).toBe(true);
    expect(
      (await request('/api/v1/configmaps')).body.metadata.resourceVersion,
    ).toBe(String(before + 2));
  });

  it('rejects kinds it cannot store', () => {
    expect(() =>
      cluster.add({
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        metadata: { name: 'w' },
      }),
    ).toThrow('no matches for kind "Widget" in version "example.com/v1"');
  });

  it('serves custom resources only while their CRD exists', async () => {
    const crd = OBJECTS.find(
      o => o.kind === 'CustomResourceDefinition',
    ) as KubeObject;
    cluster.remove({
      apiVersion: crd.apiVersion,
      kind: crd.kind,
      name: 'policyreports.wgpolicyk8s.io',
    });
    try {
      expect(
        (await request('/apis/wgpolicyk8s.io/v1alpha2/policyreports')).status,
      ).toBe(404);
      expect(
        (await request('/apis')).body.groups.map(
          (g: { name: string }) => g.name,
        ),
      ).not.toContain('wgpolicyk8s.io');
    } finally {
      cluster.add(crd);
    }
    expect(
      (await request('/apis/wgpolicyk8s.io/v1alpha2/policyreports')).body.items,
    ).toEqual([]);
  });

  it('logs requests', async () => {
    cluster.clearRequestLog();
    await request('/api/v1/namespaces/shop/pods?limit=1', {
      accept: 'application/json',
    });
    await request('/api/v1/pods', { token: 'nope' });
    expect(cluster.requestLog).toEqual([
      {
        method: 'GET',
        path: '/api/v1/namespaces/shop/pods',
        query: { limit: '1' },
        accept: 'application/json',
        username: READER.username,
        status: 200,
        timestamp: expect.any(Number),
      },
      {
        method: 'GET',
        path: '/api/v1/pods',
        query: {},
        accept: '*/*',
        status: 401,
        timestamp: expect.any(Number),
      },
    ]);
  });
});

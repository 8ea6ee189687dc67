import { collectObjects } from './collectObjects';

const collect = (text: string, name = 'input.yaml') =>
  collectObjects([{ name, text }]);
const names = (text: string) =>
  collect(text).objects.map(
    ({ object }) => `${object.kind}/${object.metadata?.name}`,
  );

describe('collectObjects', () => {
  it('reads every document of a multi-document file', () => {
    expect(
      names(`apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
`),
    ).toEqual(['Namespace/shop', 'Deployment/web']);
  });

  it('reads Helm output: `# Source:` comments, empty documents and leading separators', () => {
    const helm = `---
# Source: shop/templates/serviceaccount.yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: web
---
# Source: shop/templates/empty.yaml
---
# Source: shop/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: shop/web:1.0.0
`;
    const { objects, errors } = collect(helm);
    expect(errors).toEqual([]);
    expect(objects.map(o => o.object.kind)).toEqual([
      'ServiceAccount',
      'Deployment',
    ]);
    // Positions skip the comments: they point at the object itself.
    expect(objects[1].locate('')).toEqual({ line: 11, column: 1 });
  });

  it('reads a single JSON object, even indented with tabs', () => {
    expect(
      names(
        '{\n\t"apiVersion": "v1",\n\t"kind": "Pod",\n\t"metadata": {"name": "debug"}\n}\n',
      ),
    ).toEqual(['Pod/debug']);
  });

  it('unpacks a List, and takes apiVersion and kind of typed list items from the list', () => {
    const list = JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
        {
          apiVersion: 'apps/v1',
          kind: 'DaemonSet',
          metadata: { name: 'agent' },
        },
      ],
    });
    expect(names(list)).toEqual(['Namespace/shop', 'DaemonSet/agent']);

    const podList = `{
  "apiVersion": "v1",
  "kind": "PodList",
  "items": [
    {"metadata": {"name": "a"}},
    {"metadata": {"name": "b"}}
  ]
}`;
    const { objects } = collect(podList, 'pods.json');
    expect(objects.map(o => o.object)).toEqual([
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'b' } },
    ]);
    expect(objects[1].locate('metadata.name')).toEqual({ line: 6, column: 19 });
  });

  it('skips documents that are not Kubernetes objects', () => {
    expect(
      names('replicaCount: 2\n---\n- a list\n---\njust text\n---\n'),
    ).toEqual([]);
  });

  it('reports a syntax error with its line and column, and still reads the other documents', () => {
    const { objects, errors } = collect(
      `apiVersion: v1
kind: Pod
metadata:
  name: broken
spec:
  containers: [
---
apiVersion: v1
kind: Namespace
metadata:
  name: fine
`,
      'bad.yaml',
    );
    expect(objects.map(o => o.object.metadata?.name)).toEqual(['fine']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      file: 'bad.yaml',
      line: expect.any(Number),
      column: expect.any(Number),
    });
    expect(errors[0].line).toBeGreaterThanOrEqual(6);
    expect(errors[0].line).toBeLessThan(8);
    expect(errors[0].message).not.toBe('');
  });

  it('refuses an alias bomb quickly with a clear error, and still reads the other documents', () => {
    // "billion laughs": nine levels of nine aliases would expand to 9^9 strings
    const levels = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let level = 1; level < 9; level++) {
      const anchor = String.fromCharCode(97 + level);
      const previous = `*${String.fromCharCode(96 + level)}`;
      levels.push(
        `${anchor}: &${anchor} [${Array(9).fill(previous).join(', ')}]`,
      );
    }
    const started = performance.now();
    const { objects, errors } = collect(
      `apiVersion: v1
kind: ConfigMap
metadata:
  name: laughs
data:
  ${levels.join('\n  ')}
---
apiVersion: v1
kind: Namespace
metadata:
  name: fine
`,
      'bomb.yaml',
    );
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(objects.map(o => o.object.metadata?.name)).toEqual(['fine']);
    expect(errors).toEqual([
      {
        file: 'bomb.yaml',
        line: 1,
        column: 1,
        message:
          'refused: its YAML aliases expand beyond 100 resolutions, as in an alias bomb ("billion laughs")',
      },
    ]);
  });

  it('reads a few aliases as the values they name', () => {
    const [pod] = collect(`apiVersion: v1
kind: Pod
metadata:
  name: twins
spec:
  containers:
    - &app {name: app, image: shop/app:1.0.0}
    - *app
`).objects;
    expect(pod.object.spec).toEqual({
      containers: [
        { name: 'app', image: 'shop/app:1.0.0' },
        { name: 'app', image: 'shop/app:1.0.0' },
      ],
    });
  });

  it('refuses an object with a field of the wrong type where it is written, as kubectl would', () => {
    const { objects, errors } = collect(
      `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        name: web
        image: shop/web:1.0.0
---
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    version: 2
`,
      'typed.yaml',
    );
    expect(objects).toEqual([]);
    expect(errors).toEqual([
      {
        file: 'typed.yaml',
        line: 8,
        column: 7,
        message:
          'Deployment/web: spec.template.spec.containers: expected a list, found a map',
      },
      {
        file: 'typed.yaml',
        line: 17,
        column: 5,
        message:
          'Namespace/shop: metadata.labels["version"]: expected a string, found a number',
      },
    ]);
  });

  describe('locate', () => {
    const [pod] = collect(`# a comment
apiVersion: v1
kind: Pod
metadata:
  name: debug
  annotations:
    container.apparmor.security.beta.kubernetes.io/shell: unconfined
spec:
  containers:
    - name: init
    - name: shell
      securityContext:
        privileged: true
`).objects;

    it('finds the key of a field path', () => {
      expect(
        pod.locate('spec.containers[1].securityContext.privileged'),
      ).toEqual({ line: 13, column: 9 });
    });

    it('finds quoted keys that contain dots', () => {
      expect(
        pod.locate(
          'metadata.annotations["container.apparmor.security.beta.kubernetes.io/shell"]',
        ),
      ).toEqual({
        line: 7,
        column: 5,
      });
    });

    it('falls back to the nearest written parent of a missing field', () => {
      expect(
        pod.locate('spec.containers[0].securityContext.runAsNonRoot'),
      ).toEqual({ line: 10, column: 7 });
      expect(pod.locate('spec.hostPID')).toEqual({ line: 8, column: 1 });
    });

    it('gives the object itself for an empty path', () => {
      expect(pod.locate('')).toEqual({ line: 2, column: 1 });
    });
  });
});

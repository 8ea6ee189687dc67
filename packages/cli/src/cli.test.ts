import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { ALL_CHECKS } from '@internal/plugin-kubernetes-security-common';
import { runCli } from './cli';

const PRIVILEGED_POD = `apiVersion: v1
kind: Pod
metadata:
  name: debug
  namespace: tools
spec:
  containers:
    - name: shell
      image: busybox:1.36
      securityContext:
        privileged: true
`;

const UNPRIVILEGED_POD = `apiVersion: v1
kind: Pod
metadata:
  name: quiet
spec:
  containers:
    - name: app
      image: app:1
`;

/** Mis-indented on line 5: `namespace` is deeper than `name`. */
const BAD_YAML = `apiVersion: v1
kind: Pod
metadata:
  name: broken
   namespace: tools
`;

describe('kubernetes-security check', () => {
  let cwd: string;

  beforeEach(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'kubernetes-security-cli-'));
  });

  afterEach(() => rm(cwd, { recursive: true, force: true }));

  async function write(files: Record<string, string>) {
    for (const [path, text] of Object.entries(files)) {
      await mkdir(dirname(join(cwd, path)), { recursive: true });
      await writeFile(join(cwd, path), text);
    }
  }

  async function run(args: string[], stdinText = '') {
    let stdout = '';
    let stderr = '';
    const exitCode = await runCli(args, {
      cwd,
      stdin: Readable.from([stdinText]),
      stdout: text => {
        stdout += text;
      },
      stderr: text => {
        stderr += text;
      },
    });
    return { exitCode, stdout, stderr, json: () => JSON.parse(stdout) };
  }

  // Other checks may flag these manifests too; tests that count findings run only this one.
  const onlyPrivileged = ['--checks', 'privileged-container'];

  describe('exit codes', () => {
    it('is 1 when a finding is at or above --fail-on (high by default)', async () => {
      await write({ 'pod.yaml': PRIVILEGED_POD });
      expect(
        (await run(['check', 'pod.yaml', ...onlyPrivileged])).exitCode,
      ).toBe(1);
      expect(
        (
          await run([
            'check',
            'pod.yaml',
            ...onlyPrivileged,
            '--fail-on',
            'critical',
          ])
        ).exitCode,
      ).toBe(1);
    });

    it('is 0 without findings, and with --fail-on none whatever the findings', async () => {
      await write({
        'pod.yaml': PRIVILEGED_POD,
        'quiet.yaml': UNPRIVILEGED_POD,
      });
      expect(
        (await run(['check', 'quiet.yaml', ...onlyPrivileged])).exitCode,
      ).toBe(0);
      expect(
        (await run(['check', 'pod.yaml', '--fail-on', 'none'])).exitCode,
      ).toBe(0);
    });

    it('is 2 when an input cannot be parsed, even with findings elsewhere', async () => {
      await write({ 'bad.yaml': BAD_YAML, 'pod.yaml': PRIVILEGED_POD });
      const { exitCode, stderr, json } = await run([
        'check',
        'bad.yaml',
        'pod.yaml',
        '--format',
        'json',
      ]);
      expect(exitCode).toBe(2);
      expect(stderr).toMatch(/^error: bad\.yaml:\d+:\d+: \S.*\n$/);
      // The other file is still checked.
      expect(json().findings).toContainEqual(
        expect.objectContaining({
          checkId: 'privileged-container',
          file: 'pod.yaml',
        }),
      );
      expect(json().summary.errors).toEqual([
        {
          file: 'bad.yaml',
          line: expect.any(Number),
          column: expect.any(Number),
          message: expect.any(String),
        },
      ]);
    });

    it('is 2 for a missing input and for usage errors', async () => {
      expect((await run(['check', 'missing.yaml'])).stderr).toBe(
        'error: missing.yaml: no such file or directory\n',
      );
      expect((await run(['check', 'missing.yaml'])).exitCode).toBe(2);
      expect((await run(['check'])).exitCode).toBe(2);
      expect((await run(['check', '-', '--format', 'xml'])).exitCode).toBe(2);
      expect((await run(['check', '-', '--fail-on', 'severe'])).exitCode).toBe(
        2,
      );
    });

    it('is 0 for --help', async () => {
      const { exitCode, stdout } = await run(['check', '--help']);
      expect(exitCode).toBe(0);
      expect(stdout).toContain('--fail-on <severity>');
    });
  });

  describe('--checks and --skip', () => {
    it('runs only the selected checks, or all but the skipped ones', async () => {
      await write({ 'pod.yaml': PRIVILEGED_POD });
      const only = (
        await run(['check', 'pod.yaml', '--format', 'json', ...onlyPrivileged])
      ).json();
      expect(only.findings.map((f: { checkId: string }) => f.checkId)).toEqual([
        'privileged-container',
      ]);

      const skipped = (
        await run([
          'check',
          'pod.yaml',
          '--format',
          'json',
          '--skip',
          'privileged-container',
        ])
      ).json();
      expect(
        skipped.findings.map((f: { checkId: string }) => f.checkId),
      ).not.toContain('privileged-container');
    });

    it('rejects unknown ids and lists the valid ones', async () => {
      const { exitCode, stdout, stderr } = await run([
        'check',
        '-',
        '--checks',
        'privileged-container,no-such-check',
      ]);
      expect(exitCode).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toContain('unknown check id: no-such-check');
      for (const check of ALL_CHECKS) expect(stderr).toContain(check.id);

      expect(
        (await run(['check', '-', '--skip', 'nope,neither'])).stderr,
      ).toContain('unknown check ids: nope, neither');
    });
  });

  describe('inputs', () => {
    it('reads standard input', async () => {
      const { json } = await run(
        ['check', '-', '--format', 'json', ...onlyPrivileged],
        PRIVILEGED_POD,
      );
      expect(json().findings).toEqual([
        expect.objectContaining({ file: '<stdin>', line: 11 }),
      ]);
    });

    it('reads directories, List objects and Helm output', async () => {
      const list = JSON.stringify({
        apiVersion: 'v1',
        kind: 'List',
        items: [{ ...podObject(), kind: 'Pod' }],
      });
      await write({
        'manifests/list.json': list,
        'manifests/rendered/chart.yaml': `---\n# Source: chart/templates/pod.yaml\n${PRIVILEGED_POD}---\n# Source: chart/templates/empty.yaml\n`,
      });
      const { summary, findings } = (
        await run(['check', 'manifests', '--format', 'json', ...onlyPrivileged])
      ).json();
      expect(summary).toMatchObject({
        files: 2,
        objects: 2,
        workloads: 2,
        findings: 2,
        errors: [],
      });
      expect(
        findings.map(
          (f: { file: string; line: number }) => `${f.file}:${f.line}`,
        ),
      ).toEqual(['manifests/list.json:1', 'manifests/rendered/chart.yaml:13']);
    });
  });

  it('prints the documented JSON shape', async () => {
    await write({ 'pod.yaml': PRIVILEGED_POD, 'quiet.yaml': UNPRIVILEGED_POD });
    const report = (
      await run(['check', '.', '--format', 'json', ...onlyPrivileged])
    ).json();
    expect(report).toEqual({
      findings: [
        {
          checkId: 'privileged-container',
          title: 'Privileged container',
          severity: 'critical',
          area: 'host-access',
          object: {
            apiVersion: 'v1',
            kind: 'Pod',
            namespace: 'tools',
            name: 'debug',
          },
          container: 'shell',
          message: 'Container "shell" runs privileged',
          path: 'spec.containers[0].securityContext.privileged',
          evidence: 'true',
          file: 'pod.yaml',
          line: 11,
          column: 9,
          equivalents: {
            polaris: 'runAsPrivileged',
            kubescape: 'C-0057',
            pss: 'baseline: Privileged Containers',
            cis: '5.2.2',
          },
        },
      ],
      summary: {
        files: 2,
        objects: 2,
        workloads: 2,
        findings: 1,
        bySeverity: { critical: 1, high: 0, medium: 0, low: 0, info: 0 },
        score: 70,
        grade: 'D',
        errors: [],
      },
    });
  });

  it('prints a table grouped by object with a summary line', async () => {
    await write({ 'pod.yaml': PRIVILEGED_POD });
    const { stdout } = await run(['check', 'pod.yaml', ...onlyPrivileged]);
    expect(stdout).toBe(
      [
        'Pod tools/debug  pod.yaml:1',
        '  critical  privileged-container  shell  Container "shell" runs privileged',
        '            at spec.containers[0].securityContext.privileged, line 11',
        '',
        '1 finding (1 critical, 0 high, 0 medium, 0 low, 0 info) in 1 workload of 1 object from 1 file; score 70/100, grade D',
        '',
      ].join('\n'),
    );
  });

  it('says so when there is nothing to report', async () => {
    await write({ 'quiet.yaml': UNPRIVILEGED_POD });
    const { stdout } = await run(['check', 'quiet.yaml', ...onlyPrivileged]);
    expect(stdout).toBe(
      'No findings.\n\n0 findings (0 critical, 0 high, 0 medium, 0 low, 0 info) in 1 workload of 1 object from 1 file; score 100/100, grade A\n',
    );
  });

  it('writes the report to --output, relative to the working directory', async () => {
    await write({ 'pod.yaml': PRIVILEGED_POD });
    const { stdout } = await run([
      'check',
      'pod.yaml',
      '--format',
      'sarif',
      '--output',
      'report.sarif',
    ]);
    expect(stdout).toBe('');
    expect(
      JSON.parse(await readFile(join(cwd, 'report.sarif'), 'utf8')),
    ).toMatchObject({ version: '2.1.0' });
  });
});

function podObject() {
  return {
    apiVersion: 'v1',
    metadata: { name: 'listed' },
    spec: {
      containers: [
        { name: 'app', image: 'app:1', securityContext: { privileged: true } },
      ],
    },
  };
}

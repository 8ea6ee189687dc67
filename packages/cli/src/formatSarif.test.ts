import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
// The SARIF 2.1.0 schema (final "rtm.5" draft, as on schemastore.org), shipped by Microsoft's SARIF SDK.
import sarifSchema from '@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json';
import {
  ALL_CHECKS,
  getCheck,
} from '@internal/plugin-kubernetes-security-common';
import { collectObjects } from './collectObjects';
import { formatSarif } from './formatSarif';
import { runCheck } from './runCheck';
import type { CheckReport } from './runCheck';

// The schema's `language` pattern has a stray `]` that is only valid without the regexp `u` flag.
const validateSarif = addFormats(
  new Ajv({ allErrors: true, unicodeRegExp: false }),
).compile(sarifSchema);

function sarifFor(
  files: { name: string; text: string }[],
  errors: CheckReport['errors'] = [],
) {
  const report = {
    ...runCheck(collectObjects(files).objects, [...ALL_CHECKS]),
    files: files.length,
    errors,
  };
  const text = formatSarif(report);
  return JSON.parse(text);
}

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

describe('formatSarif', () => {
  it('produces a log valid against the SARIF 2.1.0 schema, with and without results and errors', () => {
    const logs = [
      sarifFor([{ name: 'k8s/pod.yaml', text: PRIVILEGED_POD }]),
      sarifFor([{ name: '<stdin>', text: PRIVILEGED_POD }]),
      sarifFor([{ name: '/srv/manifests/pod.yaml', text: PRIVILEGED_POD }]),
      sarifFor(
        [],
        [
          { file: 'bad.yaml', line: 3, column: 2, message: 'bad indentation' },
          { file: 'missing dir', message: 'no such file or directory' },
          { file: '<stdin>', line: 1, column: 1, message: 'unexpected end' },
        ],
      ),
    ];
    for (const log of logs) {
      const valid = validateSarif(log);
      expect(validateSarif.errors ?? []).toEqual([]);
      expect(valid).toBe(true);
    }
  });

  it('validates for real: the schema rejects what SARIF forbids', () => {
    const log = sarifFor([{ name: 'pod.yaml', text: PRIVILEGED_POD }]);
    log.runs[0].results[0].level = 'critical';
    expect(validateSarif(log)).toBe(false);
    expect(validateSarif({ ...log, version: '2.0.0' })).toBe(false);
  });

  it('describes every check that ran as a rule', () => {
    const log = sarifFor([{ name: 'pod.yaml', text: PRIVILEGED_POD }]);
    expect(log).toMatchObject({
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
    });
    expect(log.runs).toHaveLength(1);
    const { driver } = log.runs[0].tool;
    expect(driver.name).toBe('kubernetes-security');
    expect(driver.rules.map((r: { id: string }) => r.id)).toEqual(
      ALL_CHECKS.map(c => c.id),
    );

    const check = getCheck('privileged-container')!;
    expect(driver.rules.find((r: { id: string }) => r.id === check.id)).toEqual(
      {
        id: 'privileged-container',
        name: 'PrivilegedContainer',
        shortDescription: { text: check.title },
        fullDescription: { text: check.rationale },
        help: {
          text: expect.stringContaining(check.remediation.text),
          markdown: `${check.remediation.text}\n\n\`\`\`yaml\n${check.remediation.yaml}\n\`\`\``,
        },
        helpUri: check.docs,
        defaultConfiguration: { level: 'error' },
        properties: {
          tags: expect.arrayContaining([
            'security',
            'kubernetes',
            'host-access',
            'pss-baseline',
          ]),
          'security-severity': '9.5',
          precision: 'very-high',
        },
      },
    );
  });

  it('locates results in the file and in the cluster', () => {
    const log = sarifFor([{ name: 'k8s/my pod.yaml', text: PRIVILEGED_POD }]);
    const { rules } = log.runs[0].tool.driver;
    const result = log.runs[0].results.find(
      (r: { ruleId: string }) => r.ruleId === 'privileged-container',
    );
    expect(rules[result.ruleIndex].id).toBe('privileged-container');
    expect(result).toMatchObject({
      level: 'error',
      message: { text: 'Pod/tools/debug: Container "shell" runs privileged' },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'k8s/my%20pod.yaml' },
            region: { startLine: 11, startColumn: 9 },
          },
          logicalLocations: [
            {
              name: 'debug',
              fullyQualifiedName: 'Pod/tools/debug',
              kind: 'resource',
            },
          ],
        },
      ],
      partialFingerprints: {
        'kubernetesSecurityFinding/v1': expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    });
  });

  it('gives files outside the working directory as file: URIs', () => {
    const log = sarifFor([
      { name: '/srv/manifests/pod.yaml', text: PRIVILEGED_POD },
    ]);
    expect(
      log.runs[0].results[0].locations[0].physicalLocation.artifactLocation,
    ).toEqual({
      uri: 'file:///srv/manifests/pod.yaml',
    });
  });

  it('keeps fingerprints when an object moves within its file', () => {
    const fingerprints = (text: string) =>
      sarifFor([{ name: 'pod.yaml', text }]).runs[0].results.map(
        (r: { partialFingerprints: object }) => r.partialFingerprints,
      );
    expect(fingerprints(`# moved down\n\n${PRIVILEGED_POD}`)).toEqual(
      fingerprints(PRIVILEGED_POD),
    );
  });

  it('reports input errors as failed-execution notifications', () => {
    const log = sarifFor(
      [],
      [{ file: 'bad.yaml', line: 3, column: 2, message: 'bad indentation' }],
    );
    expect(log.runs[0].invocations).toEqual([
      {
        executionSuccessful: false,
        toolExecutionNotifications: [
          {
            level: 'error',
            message: { text: 'bad indentation' },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: 'bad.yaml' },
                  region: { startLine: 3, startColumn: 2 },
                },
              },
            ],
          },
        ],
      },
    ]);
  });
});

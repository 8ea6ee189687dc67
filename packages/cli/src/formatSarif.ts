import { createHash } from 'node:crypto';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type {
  Check,
  Severity,
} from '@internal/plugin-kubernetes-security-common';
import { version } from '../package.json';
import { STDIN_NAME } from './readInputs';
import type { InputError } from './readInputs';
import type { CheckReport, LocatedFinding } from './runCheck';

const TOOL_NAME = 'kubernetes-security';
/** The standard the checks are built on; the project has no public home page yet. */
const INFORMATION_URI =
  'https://kubernetes.io/docs/concepts/security/pod-security-standards/';

const LEVELS: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/** GitHub code scanning ranks alerts by this CVSS-like score (a string, 0.0–10.0). */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};

/** The `--format sarif` report: one SARIF 2.1.0 log with one run, for code-scanning UIs. */
export function formatSarif(report: CheckReport): string {
  const ruleIndex = new Map(
    report.checks.map((check, index) => [check.id, index]),
  );
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            version,
            informationUri: INFORMATION_URI,
            rules: report.checks.map(rule),
          },
        },
        invocations: [
          {
            executionSuccessful: report.errors.length === 0,
            toolExecutionNotifications: report.errors.map(notification),
          },
        ],
        // The yaml parser counts columns in UTF-16 code units, as JavaScript strings do.
        columnKind: 'utf16CodeUnits',
        results: report.findings.map(finding =>
          result(finding, ruleIndex.get(finding.checkId)),
        ),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function rule(check: Check) {
  const { remediation, equivalents } = check;
  return {
    id: check.id,
    name: check.id.replace(/(^|-)([a-z0-9])/g, (_, _dash, letter: string) =>
      letter.toUpperCase(),
    ),
    shortDescription: { text: check.title },
    fullDescription: { text: check.rationale },
    help: {
      text: `${remediation.text}\n\n${remediation.yaml}`,
      markdown: `${remediation.text}\n\n\`\`\`yaml\n${remediation.yaml}\n\`\`\``,
    },
    helpUri: check.docs,
    defaultConfiguration: { level: LEVELS[check.severity] },
    properties: {
      tags: [
        'security',
        'kubernetes',
        check.area,
        ...(equivalents.pss ? [`pss-${equivalents.pss.level}`] : []),
        ...(equivalents.cis ? [`cis-${equivalents.cis}`] : []),
        ...(equivalents.kubescape
          ? [`kubescape-${equivalents.kubescape}`]
          : []),
        ...(equivalents.polaris ? [`polaris-${equivalents.polaris}`] : []),
      ],
      'security-severity': SECURITY_SEVERITY[check.severity],
      // Checks read declared configuration: no heuristics, no false positives by guesswork.
      precision: 'very-high',
    },
  };
}

function result(finding: LocatedFinding, ruleIndex: number | undefined) {
  const { kind, namespace, name } = finding.object;
  const qualifiedName =
    kind === 'Namespace'
      ? `${kind}/${name}`
      : `${kind}/${namespace ?? 'default'}/${name}`;
  const location = physicalLocation(finding.file, finding);
  return {
    ruleId: finding.checkId,
    ...(ruleIndex !== undefined ? { ruleIndex } : {}),
    level: LEVELS[finding.severity],
    message: { text: `${qualifiedName}: ${finding.message}` },
    locations: [
      {
        ...(location ? { physicalLocation: location } : {}),
        logicalLocations: [
          { name, fullyQualifiedName: qualifiedName, kind: 'resource' },
        ],
      },
    ],
    // Stable across edits that move the object within its file: no line numbers.
    partialFingerprints: {
      'kubernetesSecurityFinding/v1': createHash('sha256')
        .update(
          [
            finding.checkId,
            finding.file,
            qualifiedName,
            finding.container ?? '',
            finding.path,
          ].join('\0'),
        )
        .digest('hex'),
    },
    properties: { severity: finding.severity, path: finding.path },
  };
}

function notification(error: InputError) {
  const location = physicalLocation(error.file, error);
  return {
    level: 'error',
    message: {
      text: location ? error.message : `${error.file}: ${error.message}`,
    },
    ...(location ? { locations: [{ physicalLocation: location }] } : {}),
  };
}

/** Standard input has no file to point at: its locations are logical only. */
function physicalLocation(
  file: string,
  { line, column }: { line?: number; column?: number },
) {
  if (file === STDIN_NAME) return undefined;
  return {
    artifactLocation: { uri: artifactUri(file) },
    ...(line
      ? {
          region: {
            startLine: line,
            ...(column ? { startColumn: column } : {}),
          },
        }
      : {}),
  };
}

/** A relative URI reference for files under the working directory, a `file:` URI for the others. */
function artifactUri(file: string): string {
  if (isAbsolute(file)) return pathToFileURL(file).href;
  return file.split('/').map(encodeURIComponent).join('/');
}

import { SEVERITIES } from '@internal/plugin-kubernetes-security-common';
import type { ObjectReference } from '@internal/plugin-kubernetes-security-common';
import type { CheckReport, LocatedFinding } from './runCheck';

/**
 * The human report: findings grouped by object, worst first within an object,
 * then one summary line. Severity, check and container are aligned across the
 * report; the field path goes on its own line, as paths are long.
 */
export function formatTable(report: CheckReport): string {
  const groups = groupByObject(report.findings);
  const columns = (finding: LocatedFinding) => [
    finding.severity,
    finding.checkId,
    finding.container ?? '-',
  ];
  const widths = report.findings
    .map(columns)
    .reduce(
      (max, row) => row.map((cell, index) => Math.max(max[index], cell.length)),
      [0, 0, 0],
    );
  const pathIndent = ' '.repeat(2 + widths[0] + 2);

  const lines: string[] = [];
  for (const group of groups) {
    const [first] = group;
    lines.push(
      `${describeObject(first.object)}  ${first.file}:${first.objectLine}`,
    );
    for (const finding of group) {
      const row = columns(finding).map((cell, index) =>
        cell.padEnd(widths[index]),
      );
      lines.push(`  ${row.join('  ')}  ${finding.message}`);
      lines.push(
        `${pathIndent}at ${finding.path || 'the object'}, line ${finding.line}`,
      );
    }
    lines.push('');
  }
  if (groups.length === 0) lines.push('No findings.', '');
  lines.push(summaryLine(report));
  return `${lines.join('\n')}\n`;
}

/** Findings come in object order already; within an object, worst first. */
function groupByObject(findings: LocatedFinding[]): LocatedFinding[][] {
  const groups: LocatedFinding[][] = [];
  for (const finding of findings) {
    const previous = groups[groups.length - 1]?.[0];
    if (
      previous &&
      previous.file === finding.file &&
      previous.objectLine === finding.objectLine
    ) {
      groups[groups.length - 1].push(finding);
    } else {
      groups.push([finding]);
    }
  }
  return groups.map(group =>
    group.sort(
      (a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity),
    ),
  );
}

function describeObject(object: ObjectReference): string {
  return `${object.kind} ${object.namespace ? `${object.namespace}/` : ''}${
    object.name
  }`;
}

function summaryLine(report: CheckReport): string {
  const counts = SEVERITIES.map(
    severity => `${report.bySeverity[severity]} ${severity}`,
  ).join(', ');
  const score = report.score
    ? `; score ${report.score.score}/100, grade ${report.score.grade}`
    : '';
  const errors = report.errors.length
    ? `; ${plural(report.errors.length, 'input error')}`
    : '';
  return (
    `${plural(report.findings.length, 'finding')} (${counts}) in ${plural(
      report.workloads,
      'workload',
    )}` +
    ` of ${plural(report.objects, 'object')} from ${plural(
      report.files,
      'file',
    )}${score}${errors}`
  );
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

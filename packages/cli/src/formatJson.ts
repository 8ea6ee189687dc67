import type { CheckEquivalents } from '@internal/plugin-kubernetes-security-common';
import type { CheckReport } from './runCheck';

/**
 * The `--format json` report. Its shape is documented in the README and only
 * ever grows: scripts may rely on every field here.
 */
export function formatJson(report: CheckReport): string {
  const checksById = new Map(report.checks.map(check => [check.id, check]));
  const findings = report.findings.map(finding => {
    const check = checksById.get(finding.checkId);
    return {
      checkId: finding.checkId,
      title: check?.title ?? finding.checkId,
      severity: finding.severity,
      area: finding.area,
      object: finding.object,
      ...(finding.container ? { container: finding.container } : {}),
      message: finding.message,
      path: finding.path,
      ...(finding.evidence !== undefined ? { evidence: finding.evidence } : {}),
      file: finding.file,
      line: finding.line,
      column: finding.column,
      equivalents: flatEquivalents(check?.equivalents ?? {}),
    };
  });
  const summary = {
    files: report.files,
    objects: report.objects,
    workloads: report.workloads,
    findings: report.findings.length,
    bySeverity: report.bySeverity,
    score: report.score?.score ?? null,
    grade: report.score?.grade ?? null,
    errors: report.errors,
  };
  return `${JSON.stringify({ findings, summary }, null, 2)}\n`;
}

/** Every equivalent as a string, e.g. `pss: "baseline: Privileged Containers"`. */
function flatEquivalents({
  polaris,
  kubescape,
  pss,
  cis,
}: CheckEquivalents): Record<string, string> {
  return {
    ...(polaris ? { polaris } : {}),
    ...(kubescape ? { kubescape } : {}),
    ...(pss ? { pss: `${pss.level}: ${pss.control}` } : {}),
    ...(cis ? { cis } : {}),
  };
}

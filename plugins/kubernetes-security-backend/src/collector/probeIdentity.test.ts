import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  qualifiedResource,
  SCANNED_RESOURCES,
} from '@internal/plugin-kubernetes-security-common';
import {
  missingPermissionsClusterRole,
  REQUIRED_PERMISSIONS,
} from './probeIdentity';

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

function rulesOf(yaml: string): Rule[] {
  return parseAllDocuments(yaml)
    .map(doc => doc.toJS())
    .filter(object => object?.kind === 'ClusterRole')
    .flatMap(role => role.rules as Rule[]);
}

/** One `verb group/resource` entry per grant, `''` being the core group. */
function grantsOf(rules: Rule[]): string[] {
  return rules
    .flatMap(rule =>
      rule.apiGroups.flatMap(group =>
        rule.resources.flatMap(resource =>
          rule.verbs.map(verb => `${verb} ${group}/${resource}`),
        ),
      ),
    )
    .sort();
}

/** A README table row as cells, without the padding a formatter may add. */
function cellsOf(line: string): string[] {
  return line
    .trim()
    .slice(1, -1)
    .split('|')
    .map(cell => cell.trim());
}

describe('the resources a scan reads', () => {
  it('are granted by the shipped read-only ClusterRole, which grants nothing more', () => {
    const rules = rulesOf(
      readFileSync(resolve(__dirname, '../../rbac/cluster-role.yaml'), 'utf8'),
    );
    expect(grantsOf(rules)).toEqual(
      SCANNED_RESOURCES.map(
        row => `${row.verb} ${row.group}/${row.resource}`,
      ).sort(),
    );
  });

  it("are the rows of the README's RBAC table, with the reasons missing-permission errors give", () => {
    const readme = readFileSync(
      resolve(__dirname, '../../../../README.md'),
      'utf8',
    );
    const section = readme.slice(
      readme.indexOf('## RBAC it needs'),
      readme.indexOf('\n## ', readme.indexOf('## RBAC it needs') + 1),
    );
    const [, , ...rows] = section
      .split('\n')
      .filter(line => line.startsWith('|'))
      .map(cellsOf);
    expect(rows).toEqual(
      SCANNED_RESOURCES.map(row => {
        const list = 'list' in row ? row.list : undefined;
        return [
          `\`${qualifiedResource(row)}\``,
          [
            row.verb,
            ...(list?.metadataOnly ? ['metadata only'] : []),
            ...(list?.fieldSelector ? [`\`${list.fieldSelector}\``] : []),
          ].join(', '),
          row.slot.in === 'admission' ? 'where served' : 'every scan',
          row.why,
        ];
      }),
    );
  });
});

describe('the permissions the plugin asks for', () => {
  it('turn into a ClusterRole granting exactly the missing ones', () => {
    const wanted = REQUIRED_PERMISSIONS.filter(p =>
      ['secrets', 'nodes', 'csidrivers'].includes(p.resource),
    );
    const yaml = missingPermissionsClusterRole(wanted)!;
    const rules = rulesOf(yaml);
    expect(rules).toEqual([
      { apiGroups: [''], resources: ['nodes', 'secrets'], verbs: ['list'] },
      {
        apiGroups: ['storage.k8s.io'],
        resources: ['csidrivers'],
        verbs: ['list'],
      },
    ]);
    expect(missingPermissionsClusterRole([])).toBeUndefined();
  });
});

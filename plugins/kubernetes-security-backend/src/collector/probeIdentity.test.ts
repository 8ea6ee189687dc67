import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  ADMISSION_PERMISSIONS,
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

function grants(
  rules: Rule[],
  permission: { verb: string; group: string; resource: string },
) {
  return rules.some(
    rule =>
      rule.apiGroups.includes(permission.group) &&
      (rule.resources.includes(permission.resource) ||
        rule.resources.includes('*')) &&
      rule.verbs.includes(permission.verb),
  );
}

describe('the permissions the plugin asks for', () => {
  it('are all granted by the shipped read-only ClusterRole, which grants no writes', () => {
    const rules = rulesOf(
      readFileSync(resolve(__dirname, '../../rbac/cluster-role.yaml'), 'utf8'),
    );
    const missing = [...REQUIRED_PERMISSIONS, ...ADMISSION_PERMISSIONS].filter(
      p => !grants(rules, p),
    );
    expect(missing).toEqual([]);
    const verbs = new Set(rules.flatMap(rule => rule.verbs));
    expect([...verbs].sort()).toEqual(['get', 'list']);
  });

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

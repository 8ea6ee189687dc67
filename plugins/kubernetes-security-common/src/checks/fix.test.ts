import { parseAllDocuments } from 'yaml';
import {
  fixtureFile,
  fixtureSubjects,
  loadObjects,
} from '../__testUtils__/checkFixtures';
import type { KubeObject } from '../kubernetes';
import { ALL_CHECKS } from './checkCatalogue';
import type { Check, Finding } from './types';

/**
 * Checks whose fix no YAML can write by itself, so their snippets are only
 * checked to be valid YAML (and, for admission, to name the right policy).
 */
const NOT_A_PATCH: Record<string, string> = {
  'host-path-read-only':
    'what replaces a node directory (a PVC, a ConfigMap, …) depends on the data the workload reads there',
  'image-tag-missing-or-latest':
    'the version and digest to pin are the ones the owner tested: the fix holds <version> and <digest> placeholders',
  'image-not-pinned-by-digest':
    'the digest to pin is the one of the build the owner tested: the fix holds a <digest> placeholder',
  'image-signature-invalid':
    'signatures are fixed where images are built and signed, not in the cluster',
  'image-signature-policy-mismatch':
    'the signer or the signature policy in the backend config changes, not a cluster object',
  'image-unsigned': 'images are signed in the release pipeline',
  'image-signature-not-checked':
    'registry access is backend configuration, not a cluster object',
  'legacy-service-account-token':
    'the token Secret is deleted (kubectl delete secret), which is no patch',
  'psa-enforced-level-violated':
    "each violated control has its own check with its own fix (privileged-container, host-pid, …); the namespace's level is not the workload's to change",
  'psa-warn-level-violated':
    "each violated control has its own check with its own fix (privileged-container, host-pid, …); the namespace's level is not the workload's to change",
  'admission-would-deny':
    "what a policy requires is its CEL expression; the fix names that policy's binding for a justified exception",
  'admission-audit-only':
    "what a policy requires is its CEL expression; the fix names that policy's binding, to deny once the workload complies",
  'admission-unknown':
    'only a server-side dry run (kubectl apply --dry-run=server) can tell',
  'admission-signed-images-not-required':
    'a signature policy needs the registries and signers of the organisation',
  'admission-policy-type-warnings':
    'only the policy author knows what the expression meant to say',
  'admission-feature-disabled':
    'kube-apiserver flags or an upgrade, not a cluster object',
};

/** List fields that a strategic merge patch merges item by item, by this key. */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  volumes: 'name',
  env: 'name',
  volumeMounts: 'mountPath',
  ports: 'containerPort',
};

const isMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * `kubectl patch --type strategic`, as far as the fixes use it: maps merge,
 * `null` removes a field, lists of `MERGE_KEYS` merge by key (an item with
 * `$patch: delete` removes its match), other lists are replaced.
 */
function strategicMerge(target: unknown, patch: unknown, field = ''): unknown {
  const key = MERGE_KEYS[field];
  if (Array.isArray(patch) && key && Array.isArray(target)) {
    const merged = [...target];
    for (const item of patch) {
      const index = merged.findIndex(
        existing => existing?.[key] === item?.[key],
      );
      if (item?.$patch === 'delete') {
        if (index >= 0) merged.splice(index, 1);
      } else if (index >= 0) {
        merged[index] = strategicMerge(merged[index], item);
      } else {
        merged.push(strategicMerge({}, item));
      }
    }
    return merged;
  }
  if (!isMap(patch)) return patch;
  const merged: Record<string, unknown> = isMap(target) ? { ...target } : {};
  for (const [name, value] of Object.entries(patch)) {
    if (value === null) delete merged[name];
    else merged[name] = strategicMerge(merged[name], value, name);
  }
  return merged;
}

const identity = (object: KubeObject) =>
  `${object.kind}/${object.metadata?.namespace ?? ''}/${object.metadata?.name}`;

function parseSnippet(snippet: string): unknown[] {
  const documents = parseAllDocuments(snippet);
  expect(documents.flatMap(d => d.errors.map(e => e.message))).toEqual([]);
  const values = documents.map(d => d.toJS());
  expect(values.filter(v => v !== null && v !== undefined)).not.toEqual([]);
  return values;
}

/**
 * The fixture's objects after the fix: a document naming its kind is
 * merged into that object (or added), any other patches the subject.
 */
function applyFix(
  objects: KubeObject[],
  subject: KubeObject,
  snippet: string,
): KubeObject[] {
  const patched = structuredClone(objects);
  for (const document of parseSnippet(snippet)) {
    const named = document as KubeObject;
    const target = named.kind
      ? patched.findIndex(
          o =>
            o.kind === named.kind &&
            o.metadata?.name === named.metadata?.name &&
            (named.metadata?.namespace === undefined ||
              o.metadata?.namespace === named.metadata.namespace),
        )
      : patched.findIndex(o => identity(o) === identity(subject));
    if (target >= 0)
      patched[target] = strategicMerge(patched[target], document) as KubeObject;
    else patched.push(strategicMerge({}, document) as KubeObject);
  }
  return patched;
}

/** The findings of a check on each subject of its fail.yaml, with the file's objects. */
function failingFindings(check: Check) {
  const objects = loadObjects(fixtureFile(check.id, 'fail'));
  return fixtureSubjects(objects, check).flatMap(({ subject, findings }) =>
    findings
      .filter(f => f.checkId === check.id && f.path !== '')
      .map(finding => ({ objects, subject, finding, findings })),
  );
}

/** The remediation a user sees for a finding: its own fix, else its check's example. */
const snippetOf = (check: Check, finding: Finding) =>
  finding.fix ?? check.remediation.yaml;

const sameFinding = (a: Finding) => (b: Finding) =>
  b.checkId === a.checkId && b.path === a.path && b.container === a.container;

describe('remediation snippets', () => {
  it('name only checks of the catalogue as exceptions', () => {
    const ids = ALL_CHECKS.map(check => check.id);
    expect(Object.keys(NOT_A_PATCH).filter(id => !ids.includes(id))).toEqual(
      [],
    );
  });

  describe.each(
    ALL_CHECKS.filter(check => !NOT_A_PATCH[check.id]).map(
      check => [check.id, check] as const,
    ),
  )('of %s', (id, check) => {
    it('make the finding pass when applied as a patch to its fixture', () => {
      const failing = failingFindings(check);
      expect(failing.length).toBeGreaterThan(0);
      for (const { objects, subject, finding, findings } of failing) {
        const label = `${identity(subject)} ${finding.path}`;
        const patched = applyFix(objects, subject, snippetOf(check, finding));
        const after = fixtureSubjects(patched, check).find(
          result => identity(result.subject) === identity(subject),
        )!.findings;
        const own = (list: Finding[]) => list.filter(f => f.checkId === id);
        expect({ label, still: after.filter(sameFinding(finding)) }).toEqual({
          label,
          still: [],
        });
        expect({
          label,
          fewer: own(after).length < own(findings).length,
        }).toEqual({ label, fewer: true });
      }
    });
  });

  describe.each(
    ALL_CHECKS.filter(check => NOT_A_PATCH[check.id]).map(
      check => [check.id, check] as const,
    ),
  )('of %s (not a patch)', (_id, check) => {
    it('are valid YAML', () => {
      const failing = failingFindings(check);
      expect(failing.length).toBeGreaterThan(0);
      for (const { finding } of failing)
        parseSnippet(snippetOf(check, finding));
    });
  });

  it('name the policy and the binding the admission finding is about', () => {
    const admission = ALL_CHECKS.filter(
      check =>
        check.area === 'admission' &&
        /policy|binding/.test(check.remediation.yaml),
    );
    const named = admission.flatMap(check =>
      failingFindings(check).flatMap(({ finding }) => {
        const policy = /policy "([^"]+)"/i.exec(finding.message)?.[1];
        const binding = /binding "([^"]+)"/.exec(finding.message)?.[1];
        return parseSnippet(snippetOf(check, finding)).flatMap(document => {
          const { kind, metadata, spec } = document as KubeObject & {
            spec?: { policyName?: string };
          };
          const expected =
            kind === 'ValidatingAdmissionPolicy'
              ? { name: policy }
              : { name: binding, policyName: policy };
          const actual =
            kind === 'ValidatingAdmissionPolicy'
              ? { name: metadata?.name }
              : { name: metadata?.name, policyName: spec?.policyName };
          return /^ValidatingAdmissionPolicy(Binding)?$/.test(kind ?? '')
            ? [{ message: finding.message, expected, actual }]
            : [];
        });
      }),
    );
    expect(named.length).toBeGreaterThanOrEqual(3);
    for (const { message, expected, actual } of named)
      expect({ message, snippet: actual }).toEqual({
        message,
        snippet: expected,
      });
  });
});

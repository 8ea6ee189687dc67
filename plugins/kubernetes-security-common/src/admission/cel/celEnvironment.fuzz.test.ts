import fc from 'fast-check';
import {
  anyShapeKubernetes,
  anyString,
  fuzzParameters,
  fuzzTimeout,
  hostileValue,
  wellTypedKubernetes,
  withShuffledKeys,
} from '../../__testUtils__';
import type { KubeObject } from '../../kubernetes';
import type { AdmissionOutcome } from '../../reportSections';
import type { WorkloadKind } from '../../kubernetes';
import { podTemplateOf } from '../../workloads';
import { dryRunPolicy } from '../dryRun';
import { admissionSubjects } from '../subjects';
import {
  CelEngine,
  type CelActivation,
  type CelResult,
} from './celEnvironment';
import { celEquals, toCelValue } from './values';

/** Expressions of the kind real policies hold, each reading the object differently. */
const POLICY_EXPRESSIONS = [
  'object.spec.containers.all(c, !(has(c.securityContext) && has(c.securityContext.privileged) && c.securityContext.privileged))',
  'object.spec.template.spec.containers.exists(c, c.image.matches("^[a-z0-9./-]+(:[A-Za-z0-9._-]+)?$"))',
  "has(object.metadata.labels) && 'app' in object.metadata.labels && object.metadata.labels['app'].startsWith('w')",
  'object.spec.replicas + 1 > 1',
  'object.metadata.?labels.orValue({}).size() >= 0',
  "object.spec.containers.map(c, c.name).join(',') != ''",
  '!has(object.spec.hostNetwork) || object.spec.hostNetwork == false',
  "object.spec.containers.filter(c, has(c.resources) && quantity(c.resources.limits.memory).isGreaterThan(quantity('1Gi'))).size() == 0",
  "namespaceObject.metadata.name == object.metadata.namespace && request.operation == 'CREATE'",
];

/** What a dry run may answer; `undefined` when the policy does not select the object. */
const OUTCOMES: (AdmissionOutcome | undefined)[] = [
  'would-pass',
  'would-be-denied',
  'would-warn',
  'would-audit',
  'not-enforced',
  'unknown',
  undefined,
];

/** Text made of CEL's own pieces, mostly malformed. */
const expressionText = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        'object',
        '.spec',
        '.metadata',
        '.?labels',
        '[0]',
        "['app']",
        '(',
        ')',
        '[',
        ']',
        '{',
        '}',
        ',',
        ' && ',
        ' || ',
        '!',
        ' == ',
        ' + ',
        ' ? ',
        ' : ',
        '.all(c, ',
        '.exists(c, ',
        '.map(c, ',
        'has(',
        'size(',
        'matches(',
        "'(a+)+$'",
        '"',
        "'",
        '1',
        '-9223372036854775808',
        '1e400',
        'null',
        'true',
        'dyn(',
        'quantity(',
        'authorizer',
        'variables.x',
        '\\',
      ),
      anyString,
    ),
    { maxLength: 16 },
  )
  .map(parts => parts.join(''));

function activationOf(
  object: KubeObject,
  namespace: KubeObject,
): CelActivation {
  return {
    object: toCelValue(object),
    oldObject: null,
    request: toCelValue({ operation: 'CREATE', namespace: 'default' }),
    params: null,
    namespaceObject: toCelValue(namespace),
    variables: Object.create(null),
  };
}

function isWellFormed(result: CelResult): boolean {
  switch (result.kind) {
    case 'value':
      return true;
    case 'error':
      return typeof result.message === 'string';
    case 'unsupported':
      return typeof result.reason === 'string';
    default:
      return false;
  }
}

/** A map whose keys could reach a prototype: a plain object that has one. */
function hasPrototypeBearingMap(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasPrototypeBearingMap);
  if (value instanceof Map) {
    return [...value.values()].some(hasPrototypeBearingMap);
  }
  if (value === null || typeof value !== 'object') return false;
  return (
    Object.getPrototypeOf(value) !== null ||
    Object.values(value).some(hasPrototypeBearingMap)
  );
}

const anyObject = fc.oneof(
  wellTypedKubernetes.workloadObject,
  anyShapeKubernetes.workloadObject,
);

describe('CEL on arbitrary input', () => {
  const engine = CelEngine.shared();

  it(
    'converts any value, keeping hostile keys as plain data, whatever their order',
    () => {
      fc.assert(
        fc.property(hostileValue, fc.integer(), (value, seed) => {
          const converted = toCelValue(value);
          expect(hasPrototypeBearingMap(converted)).toBe(false);
          expect(toCelValue(withShuffledKeys(value, seed))).toEqual(converted);
        }),
        fuzzParameters(1000),
      );
    },
    fuzzTimeout(),
  );

  it(
    'evaluates policy expressions on any object to a result, the same whatever the order of keys',
    () => {
      fc.assert(
        fc.property(
          anyObject,
          wellTypedKubernetes.namespaceObject,
          fc.constantFrom(...POLICY_EXPRESSIONS),
          fc.integer(),
          (object, namespace, expression, seed) => {
            const result = engine.evaluate(
              expression,
              activationOf(object, namespace),
            );
            expect(isWellFormed(result)).toBe(true);
            const reordered = engine.evaluate(
              expression,
              activationOf(withShuffledKeys(object, seed), namespace),
            );
            expect(reordered.kind).toBe(result.kind);
            if (result.kind !== 'value' || reordered.kind !== 'value') return;
            expect(celEquals(reordered.value, result.value)).toBe(true);
          },
        ),
        fuzzParameters(300),
      );
    },
    fuzzTimeout(),
  );

  it(
    'answers any expression text with a result, never an exception',
    () => {
      fc.assert(
        fc.property(
          fc.oneof(expressionText, anyString),
          wellTypedKubernetes.workloadObject,
          wellTypedKubernetes.namespaceObject,
          (expression, object, namespace) => {
            expect(
              isWellFormed(
                engine.evaluate(expression, activationOf(object, namespace)),
              ),
            ).toBe(true);
          },
        ),
        fuzzParameters(300),
      );
    },
    fuzzTimeout(),
  );

  it(
    'dry-runs a policy of arbitrary variables, conditions and validations on any workload',
    () => {
      const named = fc.record({
        name: fc.oneof(
          fc.constantFrom('x', 'ok', 'a(', '(a+)+', '*'),
          anyString,
        ),
        expression: fc.oneof(
          fc.constantFrom(...POLICY_EXPRESSIONS),
          expressionText,
        ),
      });
      fc.assert(
        fc.property(
          // as listed from a cluster: the API server has checked their types
          wellTypedKubernetes.workloadObject,
          fc.array(named, { maxLength: 3 }),
          fc.array(named, { maxLength: 2 }),
          fc.array(
            fc.record({
              expression: fc.oneof(
                fc.constantFrom(
                  ...POLICY_EXPRESSIONS,
                  'variables.x',
                  'variables.ok == true',
                ),
                expressionText,
              ),
              messageExpression: fc.oneof(
                fc.constant("'denied ' + object.metadata.name"),
                expressionText,
              ),
            }),
            { maxLength: 3 },
          ),
          (object, variables, matchConditions, validations) => {
            const kind = object.kind as WorkloadKind;
            const workload = {
              kind,
              object,
              template: podTemplateOf(kind, object),
              pods: [],
              labelSets: [],
            };
            const policy: KubeObject = {
              kind: 'ValidatingAdmissionPolicy',
              metadata: { name: 'fuzzed' },
              spec: {
                failurePolicy: 'Fail',
                matchConstraints: {
                  resourceRules: [
                    {
                      apiGroups: ['*'],
                      apiVersions: ['*'],
                      operations: ['*'],
                      resources: ['*'],
                    },
                  ],
                },
                variables,
                matchConditions,
                validations,
              },
            };
            const binding: KubeObject = {
              kind: 'ValidatingAdmissionPolicyBinding',
              metadata: { name: 'fuzzed-binding' },
              spec: { policyName: 'fuzzed', validationActions: ['Deny'] },
            };
            const outcomes = admissionSubjects(workload, undefined).map(
              subject =>
                dryRunPolicy(policy, binding, subject, {
                  params: [],
                  enforced: true,
                })?.outcome,
            );
            for (const outcome of outcomes) expect(OUTCOMES).toContain(outcome);
          },
        ),
        fuzzParameters(100),
      );
    },
    fuzzTimeout(),
  );
});

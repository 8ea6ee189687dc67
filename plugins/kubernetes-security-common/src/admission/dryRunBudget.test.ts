import type { KubeObject } from '../kubernetes';
import { CelCostBudget } from './cel/costBudget';
import { dryRunPolicy, type DryRunContext } from './dryRun';
import { admissionSubjects } from './subjects';

const deployment: KubeObject = {
  metadata: { name: 'web', namespace: 'shop' },
  spec: {
    replicas: 3,
    template: { spec: { containers: [{ name: 'app', image: 'web:1' }] } },
  },
};
const [subject] = admissionSubjects(
  {
    kind: 'Deployment',
    object: deployment,
    template: (deployment.spec as any).template,
    pods: [],
    labelSets: [],
  },
  undefined,
);

const policy = (name: string, spec: Record<string, unknown>): KubeObject => ({
  metadata: { name },
  spec: {
    failurePolicy: 'Fail',
    matchConstraints: {
      resourceRules: [
        {
          apiGroups: ['apps'],
          apiVersions: ['v1'],
          operations: ['CREATE'],
          resources: ['deployments'],
        },
      ],
    },
    ...spec,
  },
});
const binding: KubeObject = {
  metadata: { name: 'b' },
  spec: { validationActions: ['Deny'] },
};

const numbers = Array.from({ length: 200 }, (_, i) => i).join(', ');
/** 200³ steps: far over the API server's per-expression limit. */
const HOSTILE = `cel.bind(xs, [${numbers}], xs.all(a, xs.all(b, xs.all(c, a + b + c >= 0))))`;

const hostile = policy('hostile', { validations: [{ expression: HOSTILE }] });
const replicas = policy('replicas', {
  validations: [
    { expression: 'object.spec.replicas <= 2', message: 'too many' },
  ],
});
const named = policy('named', {
  validations: [{ expression: "object.metadata.name == 'web'" }],
});

function scan(policies: KubeObject[], celBudget: CelCostBudget) {
  const context: DryRunContext = { params: [], enforced: true, celBudget };
  return policies.map(p => dryRunPolicy(p, binding, subject, context));
}

describe('dryRunPolicy within the CEL cost budget', () => {
  it('answers unknown for an expression over budget, and the scan goes on', () => {
    const [first, second, third] = scan(
      [hostile, replicas, named],
      new CelCostBudget(),
    );
    expect(first).toMatchObject({
      policy: 'hostile',
      outcome: 'unknown',
      reason: expect.stringContaining(
        'exceeds the CEL cost budget of 1000000 per expression',
      ),
      expression: HOSTILE,
    });
    expect(second).toMatchObject({
      outcome: 'would-be-denied',
      message: 'too many',
    });
    expect(third).toMatchObject({ outcome: 'would-pass' });
  });

  it('answers unknown for what reads a variable over budget', () => {
    const p = policy('variable', {
      variables: [{ name: 'heavy', expression: HOSTILE }],
      validations: [{ expression: 'variables.heavy' }],
    });
    expect(
      dryRunPolicy(p, binding, subject, { params: [], enforced: true }),
    ).toMatchObject({
      outcome: 'unknown',
      reason: expect.stringContaining('CEL cost budget'),
    });
  });

  it('still reports a violation found next to an expression over budget', () => {
    const both = policy('both', {
      validations: [
        { expression: HOSTILE },
        { expression: 'object.spec.replicas <= 2', message: 'too many' },
      ],
    });
    expect(
      dryRunPolicy(both, binding, subject, { params: [], enforced: true }),
    ).toMatchObject({ outcome: 'would-be-denied', message: 'too many' });
  });

  it('stops evaluating once the scan has spent its budget', () => {
    const budget = new CelCostBudget({
      perExpression: 1_000_000,
      perScan: 1_500_000,
    });
    const outcomes = scan([hostile, hostile, named, replicas], budget);
    expect(outcomes.map(e => e?.reason)).toEqual([
      expect.stringContaining('per expression'),
      "evaluation stopped: the scan's CEL cost budget (1500000) is spent",
      "not evaluated: the scan's CEL cost budget (1500000) is spent",
      "not evaluated: the scan's CEL cost budget (1500000) is spent",
    ]);
    expect(outcomes.map(e => e?.outcome)).toEqual([
      'unknown',
      'unknown',
      'unknown',
      'unknown',
    ]);
  });
});

import type { KubeObject } from '../kubernetes';
import type {
  AdmissionAction,
  AdmissionEvaluation,
  AdmissionOutcome,
} from '../reportSections';
import {
  CelEngine,
  type CelActivation,
  type CelResult,
} from './cel/celEnvironment';
import { CelCostBudget } from './cel/costBudget';
import { toCelValue } from './cel/values';
import { paramsNotReadReason } from './inventory';
import { matchesResources, type MatchResources } from './matching';
import { selectorMatches, type LabelSelectorObject } from './selectors';
import type { AdmissionSubject } from './subjects';

interface Validation {
  expression?: string;
  message?: string;
  messageExpression?: string;
}

interface PolicySpec {
  failurePolicy?: 'Fail' | 'Ignore';
  paramKind?: { apiVersion?: string; kind?: string };
  matchConstraints?: MatchResources;
  matchConditions?: { name?: string; expression?: string }[];
  variables?: { name?: string; expression?: string }[];
  validations?: Validation[];
}

interface BindingSpec {
  policyName?: string;
  paramRef?: {
    name?: string;
    namespace?: string;
    selector?: LabelSelectorObject;
    parameterNotFoundAction?: 'Allow' | 'Deny';
  };
  matchResources?: MatchResources;
  validationActions?: ('Deny' | 'Warn' | 'Audit')[];
}

export interface DryRunContext {
  /** Objects of the policy's `paramKind` that could be read. */
  params: KubeObject[];
  /** The params kind could not be listed: outcomes depending on it are unknown. */
  paramsUnreadable?: string;
  namespaceObject?: KubeObject;
  /** False when the cluster would not run the policy (API or gate off). */
  enforced: boolean;
  notEnforcedReason?: string;
  /** The scan's CEL cost budget, shared by its dry runs (else one per dry run). */
  celBudget?: CelCostBudget;
}

const ACTIONS: Record<string, AdmissionAction> = {
  Deny: 'deny',
  Warn: 'warn',
  Audit: 'audit',
};

/** The user behind the request is not known; expressions reading it are unknown. */
const USER_DEPENDENT = /\brequest\s*\.\s*userInfo\b/;

/**
 * `variables.<name>` in an expression. A fixed pattern, never one built from
 * the policy's variable names, which are the policy author's text.
 */
const VARIABLE_REFERENCE = /\bvariables\s*\.\s*([A-Za-z_]\w*)/g;

export function bindingActions(binding: KubeObject): AdmissionAction[] {
  const spec = (binding.spec ?? {}) as BindingSpec;
  // v1alpha1 bindings had no validationActions: a failure always denied.
  const actions = (spec.validationActions ?? ['Deny'])
    .map(action => ACTIONS[action])
    .filter(Boolean);
  return actions.length ? actions : ['deny'];
}

function paramsFor(
  spec: PolicySpec,
  binding: BindingSpec,
  subject: AdmissionSubject,
  context: DryRunContext,
): KubeObject[] {
  const ref = binding.paramRef ?? {};
  return context.params.filter(param => {
    if (
      param.apiVersion !== spec.paramKind?.apiVersion ||
      param.kind !== spec.paramKind?.kind
    ) {
      return false;
    }
    const namespace = param.metadata?.namespace;
    // An unset namespace means the request's namespace for namespaced params.
    if (
      ref.namespace
        ? namespace !== ref.namespace
        : namespace && namespace !== subject.attributes.namespace
    ) {
      return false;
    }
    if (ref.name) return param.metadata?.name === ref.name;
    return selectorMatches(ref.selector, param.metadata?.labels);
  });
}

interface Verdict {
  violations: { message: string; expression?: string }[];
  unknown?: { reason: string; expression?: string };
}

class PolicyRun {
  private readonly engine = CelEngine.shared();
  private readonly failedVariables = new Map<string, CelResult>();
  readonly activation: CelActivation;

  constructor(
    private readonly spec: PolicySpec,
    subject: AdmissionSubject,
    params: KubeObject | null,
    namespaceObject: KubeObject | undefined,
    private readonly budget: CelCostBudget,
  ) {
    const { attributes: a } = subject;
    const gvk = { group: a.group, version: a.version, kind: a.kind };
    const gvr = { group: a.group, version: a.version, resource: a.resource };
    this.activation = {
      object: toCelValue(subject.object),
      oldObject: null,
      params: params ? toCelValue(params) : null,
      namespaceObject: namespaceObject ? toCelValue(namespaceObject) : null,
      request: toCelValue({
        kind: gvk,
        resource: gvr,
        requestKind: gvk,
        requestResource: gvr,
        subResource: '',
        name: a.name,
        namespace: a.namespace ?? '',
        operation: 'CREATE',
        // Placeholder: who creates the object is not known to a dry run.
        userInfo: { username: '', groups: [] },
        dryRun: false,
        options: { apiVersion: 'meta.k8s.io/v1', kind: 'CreateOptions' },
      }),
      variables: Object.create(null),
    };
    for (const variable of spec.variables ?? []) {
      if (!variable?.name) continue;
      const result = this.evaluate(variable.expression ?? '');
      if (result.kind === 'value') {
        this.activation.variables[variable.name] = result.value;
      } else this.failedVariables.set(variable.name, result);
    }
  }

  /** Evaluates, attributing failures to a failed variable the expression uses. */
  evaluate(expression: string): CelResult {
    if (USER_DEPENDENT.test(expression)) {
      return {
        kind: 'unsupported',
        reason:
          'the expression reads request.userInfo, which depends on who creates the object',
      };
    }
    const result = this.engine.evaluate(
      expression,
      this.activation,
      this.budget,
    );
    if (result.kind === 'value') return result;
    const referenced = new Set(
      [...expression.matchAll(VARIABLE_REFERENCE)].map(([, name]) => name),
    );
    for (const [name, failure] of this.failedVariables) {
      if (referenced.has(name)) return failure;
    }
    return result;
  }

  /** `undefined`: a match condition excluded the request. */
  matchConditions(): Verdict | undefined {
    for (const condition of this.spec.matchConditions ?? []) {
      const result = this.evaluate(condition.expression ?? '');
      if (result.kind === 'unsupported') {
        return {
          violations: [],
          unknown: { reason: result.reason, expression: condition.expression },
        };
      }
      if (result.kind === 'error' || typeof result.value !== 'boolean') {
        const message =
          result.kind === 'error'
            ? result.message
            : 'match condition did not evaluate to a bool';
        if (this.spec.failurePolicy === 'Ignore') return undefined;
        return {
          violations: [
            {
              message: `match condition "${condition.name}" failed: ${message}`,
              expression: condition.expression,
            },
          ],
        };
      }
      if (!result.value) return undefined;
    }
    return { violations: [] };
  }

  validate(): Verdict {
    const verdict: Verdict = { violations: [] };
    for (const validation of this.spec.validations ?? []) {
      const expression = validation.expression ?? '';
      const result = this.evaluate(expression);
      if (result.kind === 'unsupported') {
        verdict.unknown ??= { reason: result.reason, expression };
      } else if (result.kind === 'error' || typeof result.value !== 'boolean') {
        if (this.spec.failurePolicy === 'Ignore') continue;
        const message =
          result.kind === 'error'
            ? result.message
            : 'validation expression must evaluate to a bool';
        verdict.violations.push({
          message: `expression '${expression}' resulted in error: ${message}`,
          expression,
        });
      } else if (!result.value) {
        verdict.violations.push({
          message: this.message(validation),
          expression,
        });
      }
    }
    return verdict;
  }

  private message(validation: Validation): string {
    if (validation.messageExpression) {
      const result = this.evaluate(validation.messageExpression);
      if (
        result.kind === 'value' &&
        typeof result.value === 'string' &&
        result.value.trim()
      ) {
        return result.value;
      }
    }
    return validation.message || `failed expression: ${validation.expression}`;
  }
}

function outcomeOf(
  verdict: Verdict,
  actions: AdmissionAction[],
  enforced: boolean,
): AdmissionOutcome {
  // Whatever a policy the API server does not run would decide, it decides nothing.
  if (!enforced)
    return verdict.violations.length > 0 || verdict.unknown
      ? 'not-enforced'
      : 'would-pass';
  if (verdict.violations.length === 0)
    return verdict.unknown ? 'unknown' : 'would-pass';
  if (actions.includes('deny')) return 'would-be-denied';
  if (actions.includes('warn')) return 'would-warn';
  return 'would-audit';
}

/**
 * Simulates one ValidatingAdmissionPolicy through one binding on one object.
 * `undefined` when the pair does not select the object. Authorizer checks are
 * not run, and an expression over its CEL cost budget is `unknown`; see
 * `AdmissionEvaluation`.
 */
export function dryRunPolicy(
  policy: KubeObject,
  binding: KubeObject,
  subject: AdmissionSubject,
  context: DryRunContext,
): AdmissionEvaluation | undefined {
  const spec = (policy.spec ?? {}) as PolicySpec;
  const bindingSpec = (binding.spec ?? {}) as BindingSpec;
  if (
    !matchesResources(spec.matchConstraints, subject.attributes, {
      rulesRequired: true,
    })
  ) {
    return undefined;
  }
  if (
    !matchesResources(bindingSpec.matchResources, subject.attributes, {
      rulesRequired: false,
    })
  ) {
    return undefined;
  }
  const actions = bindingActions(binding);
  const base = {
    mechanism: 'validating-admission-policy' as const,
    policy: policy.metadata?.name ?? '',
    ...(binding.metadata?.name ? { binding: binding.metadata.name } : {}),
    object: { ...subject.ref, evaluatedAs: subject.evaluatedAs },
    actions,
  };
  const finish = (verdict: Verdict): AdmissionEvaluation => {
    const outcome = outcomeOf(verdict, actions, context.enforced);
    const violation = verdict.violations[0];
    return {
      ...base,
      outcome,
      ...(violation ? { message: violation.message } : {}),
      ...(outcome === 'unknown' ? { reason: verdict.unknown?.reason } : {}),
      ...(outcome === 'not-enforced'
        ? { reason: context.notEnforcedReason }
        : {}),
      ...(violation?.expression ?? verdict.unknown?.expression
        ? { expression: violation?.expression ?? verdict.unknown?.expression }
        : {}),
    };
  };

  let paramSets: (KubeObject | null)[] = [null];
  if (spec.paramKind) {
    const unreadable =
      paramsNotReadReason(spec.paramKind) ?? context.paramsUnreadable;
    if (unreadable) {
      return finish({ violations: [], unknown: { reason: unreadable } });
    }
    if (!bindingSpec.paramRef) {
      return finish(
        spec.failurePolicy === 'Ignore'
          ? { violations: [] }
          : {
              violations: [
                {
                  message: `policy ${base.policy} needs params but binding ${base.binding} has no paramRef`,
                },
              ],
            },
      );
    }
    const found = paramsFor(spec, bindingSpec, subject, context);
    if (found.length === 0) {
      const action = bindingSpec.paramRef.parameterNotFoundAction ?? 'Deny';
      return finish(
        action === 'Allow'
          ? { violations: [] }
          : {
              violations: [
                {
                  message: `no params found for policy binding with \`Deny\` parameterNotFoundAction`,
                },
              ],
            },
      );
    }
    paramSets = found;
  }

  const budget = context.celBudget ?? new CelCostBudget();
  const verdict: Verdict = { violations: [] };
  let selected = false;
  for (const params of paramSets) {
    const run = new PolicyRun(
      spec,
      subject,
      params,
      context.namespaceObject,
      budget,
    );
    const matched = run.matchConditions();
    if (!matched) continue;
    selected = true;
    const result =
      matched.violations.length || matched.unknown ? matched : run.validate();
    verdict.violations.push(...result.violations);
    verdict.unknown ??= result.unknown;
  }
  return selected ? finish(verdict) : undefined;
}

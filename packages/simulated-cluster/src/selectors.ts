/**
 * Label and field selectors with the syntax and semantics of
 * k8s.io/apimachinery `labels.Parse` and `fields.ParseSelector`.
 */
import type { KubeObject } from './types';

/** A selector that cannot be parsed; the server answers 400 BadRequest with its message. */
export class SelectorError extends Error {}

export type LabelOperator =
  | 'exists'
  | 'doesNotExist'
  | '='
  | '!='
  | 'in'
  | 'notin'
  | 'gt'
  | 'lt';

export interface LabelRequirement {
  key: string;
  operator: LabelOperator;
  values: string[];
}

type Token =
  | { type: 'identifier'; text: string }
  | {
      type: 'symbol';
      text: '!' | '!=' | '=' | '==' | '(' | ')' | ',' | '>' | '<';
    }
  | { type: 'end'; text: '' };

const SYMBOL_CHARACTERS = new Set(['!', '=', '(', ')', ',', '>', '<']);
const WHITESPACE = new Set([' ', '\t', '\r', '\n']);

function tokenize(selector: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < selector.length) {
    const ch = selector[i];
    if (WHITESPACE.has(ch)) {
      i++;
    } else if (SYMBOL_CHARACTERS.has(ch)) {
      const pair = selector.slice(i, i + 2);
      if (pair === '!=' || pair === '==') {
        tokens.push({ type: 'symbol', text: pair });
        i += 2;
      } else {
        tokens.push({ type: 'symbol', text: ch as '!' });
        i++;
      }
    } else {
      let end = i;
      while (
        end < selector.length &&
        !WHITESPACE.has(selector[end]) &&
        !SYMBOL_CHARACTERS.has(selector[end])
      ) {
        end++;
      }
      tokens.push({ type: 'identifier', text: selector.slice(i, end) });
      i = end;
    }
  }
  tokens.push({ type: 'end', text: '' });
  return tokens;
}

const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function validateLabelKey(key: string): void {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const validPrefix =
    prefix === undefined ||
    (prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix));
  if (!validPrefix || name.length > 63 || !NAME_PART.test(name)) {
    throw new SelectorError(
      `unable to parse requirement: invalid label key "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
    );
  }
}

function validateLabelValue(key: string, value: string): void {
  if (value !== '' && (value.length > 63 || !NAME_PART.test(value))) {
    throw new SelectorError(
      `unable to parse requirement: values[0][${key}]: Invalid value: "${value}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
    );
  }
}

class LabelSelectorParser {
  private position = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): LabelRequirement[] {
    const requirements: LabelRequirement[] = [];
    if (this.peek().type === 'end') return requirements;
    for (;;) {
      const next = this.peek();
      if (next.type !== 'identifier' && next.text !== '!') {
        throw new SelectorError(
          `found '${next.text}', expected: !, identifier, or 'end of string'`,
        );
      }
      requirements.push(this.parseRequirement());
      const separator = this.consume();
      if (separator.type === 'end') return requirements;
      if (separator.text !== ',') {
        throw new SelectorError(
          `found '${separator.text}', expected: ',' or 'end of string'`,
        );
      }
    }
  }

  private peek(): Token {
    return this.tokens[this.position];
  }

  private consume(): Token {
    const token = this.tokens[this.position];
    if (token.type !== 'end') this.position++;
    return token;
  }

  private expectIdentifier(after: string): string {
    const token = this.consume();
    if (token.type !== 'identifier') {
      throw new SelectorError(
        `found '${token.text}', expected: identifier${after}`,
      );
    }
    return token.text;
  }

  private parseRequirement(): LabelRequirement {
    if (this.peek().text === '!') {
      this.consume();
      const key = this.expectIdentifier(" after '!'");
      validateLabelKey(key);
      return { key, operator: 'doesNotExist', values: [] };
    }
    const key = this.expectIdentifier('');
    validateLabelKey(key);
    const next = this.peek();
    if (next.type === 'end' || next.text === ',') {
      return { key, operator: 'exists', values: [] };
    }

    const operatorToken = this.consume();
    const operator = this.operatorOf(operatorToken);
    const values =
      operator === 'in' || operator === 'notin'
        ? this.parseValueSet()
        : [this.parseSingleValue()];

    if ((operator === 'in' || operator === 'notin') && values.length === 0) {
      throw new SelectorError(
        "unable to parse requirement: for 'in', 'notin' operators, values set can't be empty",
      );
    }
    if (
      (operator === 'gt' || operator === 'lt') &&
      !/^-?\d+$/.test(values[0])
    ) {
      throw new SelectorError(
        `unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer`,
      );
    }
    values.forEach(value => validateLabelValue(key, value));
    return { key, operator, values };
  }

  private operatorOf(token: Token): LabelOperator {
    if (
      token.type === 'identifier' &&
      (token.text === 'in' || token.text === 'notin')
    ) {
      return token.text;
    }
    switch (token.text) {
      case '=':
      case '==':
        return '=';
      case '!=':
        return '!=';
      case '>':
        return 'gt';
      case '<':
        return 'lt';
      default:
        throw new SelectorError(
          `found '${token.text}', expected: in, notin, =, ==, !=, gt, lt`,
        );
    }
  }

  private parseSingleValue(): string {
    const next = this.peek();
    if (next.type === 'end' || next.text === ',') return '';
    return this.expectIdentifier('');
  }

  /** `(a,b)`; an empty slot between commas is the empty value, as in apimachinery. */
  private parseValueSet(): string[] {
    const open = this.consume();
    if (open.text !== '(') {
      throw new SelectorError(`found '${open.text}', expected: '('`);
    }
    const values: string[] = [];
    if (this.peek().text === ')') {
      this.consume();
      return values;
    }
    for (;;) {
      values.push(this.peek().type === 'identifier' ? this.consume().text : '');
      const separator = this.consume();
      if (separator.text === ')') return values;
      if (separator.text !== ',') {
        throw new SelectorError(
          `found '${separator.text}', expected: ',' or ')'`,
        );
      }
    }
  }
}

/** Parses a label selector; the empty string selects everything. */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  return new LabelSelectorParser(tokenize(selector)).parse();
}

export function matchesLabels(
  requirements: readonly LabelRequirement[],
  labels: Readonly<Record<string, string>> = {},
): boolean {
  return requirements.every(({ key, operator, values }) => {
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    const value = labels[key];
    switch (operator) {
      case 'exists':
        return has;
      case 'doesNotExist':
        return !has;
      case '=':
        return has && value === values[0];
      case '!=':
        return !has || value !== values[0];
      case 'in':
        return has && values.includes(value);
      case 'notin':
        return !has || !values.includes(value);
      case 'gt':
      case 'lt': {
        if (!has || !/^-?\d+$/.test(value)) return false;
        const difference = Number(value) - Number(values[0]);
        return operator === 'gt' ? difference > 0 : difference < 0;
      }
      default:
        return false;
    }
  });
}

export interface FieldRequirement {
  field: string;
  operator: '=' | '!=';
  value: string;
}

/** Splits on commas not escaped with a backslash. */
function splitUnescaped(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\' && i + 1 < text.length) {
      current += text[i] + text[i + 1];
      i++;
    } else if (text[i] === separator) {
      parts.push(current);
      current = '';
    } else {
      current += text[i];
    }
  }
  parts.push(current);
  return parts;
}

function unescapeFieldValue(value: string): string {
  return value.replace(/\\(.)/g, (_, escaped: string) => {
    if (escaped === '\\' || escaped === ',' || escaped === '=') return escaped;
    throw new SelectorError(
      `invalid field selector: invalid escape sequence: \\${escaped}`,
    );
  });
}

/** Parses a field selector (`a=b,c!=d`, `==` allowed); the empty string selects everything. */
export function parseFieldSelector(selector: string): FieldRequirement[] {
  return splitUnescaped(selector, ',')
    .filter(term => term !== '')
    .map(term => {
      // The first operator position wins, trying `!=` and `==` before `=`.
      for (let i = 0; i < term.length; i++) {
        for (const operator of ['!=', '==', '='] as const) {
          if (term.startsWith(operator, i)) {
            return {
              field: term.slice(0, i),
              operator: operator === '!=' ? '!=' : '=',
              value: unescapeFieldValue(term.slice(i + operator.length)),
            };
          }
        }
      }
      throw new SelectorError(
        `invalid selector: '${selector}'; can't understand '${term}'`,
      );
    });
}

/** The value an exact `field=value` term requires, as `RequiresExactMatch`. */
export function exactFieldValue(
  requirements: readonly FieldRequirement[],
  field: string,
): string | undefined {
  return requirements.find(r => r.field === field && r.operator === '=')?.value;
}

type FieldReader = (object: KubeObject) => string;

function fieldAt(path: string, whenAbsent = ''): FieldReader {
  const segments = path.split('.');
  return object => {
    let value: unknown = object;
    for (const segment of segments) {
      if (typeof value !== 'object' || value === null) return whenAbsent;
      value = (value as Record<string, unknown>)[segment];
    }
    return value === undefined || value === null ? whenAbsent : String(value);
  };
}

// The field labels each built-in resource supports beyond metadata.name/namespace.
const RESOURCE_FIELDS: Record<string, Record<string, FieldReader>> = {
  '/pods': {
    'spec.nodeName': fieldAt('spec.nodeName'),
    'spec.restartPolicy': fieldAt('spec.restartPolicy'),
    'spec.schedulerName': fieldAt('spec.schedulerName'),
    'spec.serviceAccountName': fieldAt('spec.serviceAccountName'),
    'spec.hostNetwork': fieldAt('spec.hostNetwork', 'false'),
    'status.phase': fieldAt('status.phase'),
    'status.podIP': fieldAt('status.podIP'),
    'status.nominatedNodeName': fieldAt('status.nominatedNodeName'),
  },
  '/secrets': { type: fieldAt('type') },
  '/namespaces': { 'status.phase': fieldAt('status.phase') },
  '/nodes': { 'spec.unschedulable': fieldAt('spec.unschedulable', 'false') },
  '/events': {
    'involvedObject.kind': fieldAt('involvedObject.kind'),
    'involvedObject.namespace': fieldAt('involvedObject.namespace'),
    'involvedObject.name': fieldAt('involvedObject.name'),
    'involvedObject.uid': fieldAt('involvedObject.uid'),
    reason: fieldAt('reason'),
    type: fieldAt('type'),
  },
  'apps/replicasets': { 'status.replicas': fieldAt('status.replicas', '0') },
  'batch/jobs': { 'status.successful': fieldAt('status.successful', '0') },
};

/** The field labels a resource can be filtered by. */
export function selectableFields(
  group: string,
  plural: string,
  namespaced: boolean,
): Record<string, FieldReader> {
  return {
    'metadata.name': fieldAt('metadata.name'),
    ...(namespaced && { 'metadata.namespace': fieldAt('metadata.namespace') }),
    ...RESOURCE_FIELDS[`${group}/${plural}`],
  };
}

/**
 * Builds a predicate for field requirements, throwing for field labels the
 * resource does not support (`field label not supported: x`).
 */
export function fieldMatcher(
  requirements: readonly FieldRequirement[],
  fields: Record<string, FieldReader>,
): (object: KubeObject) => boolean {
  const readers = requirements.map(requirement => {
    const read = fields[requirement.field];
    if (!read) {
      throw new SelectorError(
        `field label not supported: ${requirement.field}`,
      );
    }
    return { read, requirement };
  });
  return object =>
    readers.every(({ read, requirement }) =>
      requirement.operator === '='
        ? read(object) === requirement.value
        : read(object) !== requirement.value,
    );
}

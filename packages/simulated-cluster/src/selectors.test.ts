import {
  SelectorError,
  fieldMatcher,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
  selectableFields,
} from './selectors';
import type { KubeObject } from './types';

const selects = (selector: string, labels: Record<string, string>) =>
  matchesLabels(parseLabelSelector(selector), labels);

describe('label selectors', () => {
  const labels = { app: 'web', tier: 'frontend', replicas: '3' };

  it.each([
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app=api', false],
    ['app!=api', true],
    ['missing!=x', true],
    ['app in (api, web)', true],
    ['app in (api)', false],
    ['missing in (web)', false],
    ['app notin (api)', true],
    ['app notin (web,api)', false],
    ['missing notin (web)', true],
    ['app', true],
    ['missing', false],
    ['!missing', true],
    ['!app', false],
    ['app=web,tier=frontend', true],
    ['app=web, tier=backend', false],
    ['replicas>2', true],
    ['replicas<3', false],
    ['app=web,!missing,tier in (frontend)', true],
    ['app.kubernetes.io/name', false],
  ])('%j matches: %s', (selector, expected) => {
    expect(selects(selector, labels)).toBe(expected);
  });

  it('treats an empty value as a value', () => {
    expect(selects('app=', { app: '' })).toBe(true);
    expect(selects('app=', { app: 'web' })).toBe(false);
  });

  it('parses prefixed keys', () => {
    expect(parseLabelSelector('backstage.io/kubernetes-id in (a,b)')).toEqual([
      { key: 'backstage.io/kubernetes-id', operator: 'in', values: ['a', 'b'] },
    ]);
  });

  it.each([
    'app in ()',
    'app in x',
    'app=web,',
    '=web',
    'app=web bad',
    'app>x',
    'bad key!=x',
    'app=-web-',
  ])('rejects %j', selector => {
    expect(() => parseLabelSelector(selector)).toThrow(SelectorError);
  });
});

describe('field selectors', () => {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-1', namespace: 'shop' },
    spec: { nodeName: 'node-a' },
    status: { phase: 'Running' },
  } as KubeObject;
  const podFields = selectableFields('', 'pods', true);
  const selectsPod = (selector: string) =>
    fieldMatcher(parseFieldSelector(selector), podFields)(pod);

  it.each([
    ['', true],
    ['metadata.name=web-1', true],
    ['metadata.name==web-1', true],
    ['metadata.name!=web-1', false],
    ['metadata.namespace=shop,status.phase=Running', true],
    ['spec.nodeName=node-b', false],
    ['spec.nodeName!=', true],
    ['status.phase!=Pending', true],
    ['spec.hostNetwork=false', true],
  ])('%j matches: %s', (selector, expected) => {
    expect(selectsPod(selector)).toBe(expected);
  });

  it('unescapes values', () => {
    expect(parseFieldSelector('metadata.name=a\\,b')).toEqual([
      { field: 'metadata.name', operator: '=', value: 'a,b' },
    ]);
  });

  it('rejects terms without an operator', () => {
    expect(() => parseFieldSelector('metadata.name')).toThrow(
      "invalid selector: 'metadata.name'; can't understand 'metadata.name'",
    );
  });

  it('rejects field labels the resource does not support', () => {
    expect(() =>
      fieldMatcher(
        parseFieldSelector('spec.nodeName=a'),
        selectableFields('', 'secrets', true),
      ),
    ).toThrow('field label not supported: spec.nodeName');
    expect(() =>
      fieldMatcher(
        parseFieldSelector('type=Opaque'),
        selectableFields('', 'secrets', true),
      ),
    ).not.toThrow();
    expect(() =>
      fieldMatcher(
        parseFieldSelector('metadata.namespace=x'),
        selectableFields('', 'nodes', false),
      ),
    ).toThrow('field label not supported: metadata.namespace');
  });
});

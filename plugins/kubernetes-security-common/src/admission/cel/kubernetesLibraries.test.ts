import { CelEngine, type CelActivation } from './celEnvironment';
import { toCelValue } from './values';

const engine = CelEngine.shared();
const empty: CelActivation = {
  object: null,
  oldObject: null,
  request: null,
  params: null,
  namespaceObject: null,
  variables: {},
};

function run(expression: string, object: unknown = null) {
  return engine.evaluate(expression, { ...empty, object: toCelValue(object) });
}

function value(expression: string, object: unknown = null) {
  const result = run(expression, object);
  if (result.kind !== 'value') {
    throw new Error(`${expression}: ${JSON.stringify(result)}`);
  }
  return result.value;
}

// Cases follow the behaviour documented on kubernetes.io ("CEL in Kubernetes")
// and in the cel-go extension libraries Kubernetes enables.
describe('Kubernetes CEL libraries', () => {
  it.each([
    // Regex (RE2)
    ["'abc 123'.find('[0-9]+')", '123'],
    ["'abc'.find('[0-9]+')", ''],
    ["'123 abc 456'.findAll('[0-9]+')", ['123', '456']],
    ["'123 abc 456'.findAll('[0-9]+', 1)", ['123']],
    ["'123 abc 456'.findAll('[0-9]+', 0)", []],
    ["'xABCx'.find('(?i)abc')", 'ABC'],
    ["'ab'.find('(?P<x>a)')", 'a'],
    ["'foobar'.matches('^fo+')", true],
    ["matches('foobar', 'bar$')", true],
    // Lists
    ['[1, 2, 3].isSorted()', true],
    ['[3, 1].isSorted()', false],
    ["['a', 'b', 'b'].isSorted()", true],
    ['[1, 2, 3].sum()', 6n],
    ['[1.5, 2.5].sum()', 4],
    ['[].sum()', 0n],
    ['[1, 2, 3].min()', 1n],
    ['[1, 2, 3].max()', 3n],
    ['[1, 2, 2, 3].indexOf(2)', 1n],
    ['[1, 2, 2, 3].lastIndexOf(2)', 2n],
    ["['a'].indexOf('z')", -1n],
    // Strings
    ["'hello'.charAt(1)", 'e'],
    ["'hello'.charAt(5)", ''],
    ["'hello mellow'.indexOf('ello')", 1n],
    ["'hello mellow'.lastIndexOf('ello')", 7n],
    ["'TacoCat'.lowerAscii()", 'tacocat'],
    ["'TacoCat'.upperAscii()", 'TACOCAT'],
    ["'a,b,c'.split(',')", ['a', 'b', 'c']],
    ["['a', 'b'].join('-')", 'a-b'],
    ["'hello hello'.replace('he', 'we')", 'wello wello'],
    ["'hello hello'.replace('he', 'we', 1)", 'wello hello'],
    ["'  trim  '.trim()", 'trim'],
    ["'tacocat'.substring(4)", 'cat'],
    ["'tacocat'.substring(0, 4)", 'taco'],
    ["'gums'.reverse()", 'smug'],
    ["strings.quote('a\"b')", '"a\\"b"'],
    ["'%s has %d replicas'.format(['web', 3])", 'web has 3 replicas'],
    ["'%.2f'.format([1.005 + 0.5])", '1.50'],
    ["'%x'.format([255])", 'ff'],
    // Sets
    ['sets.contains([1, 2, 3], [2, 3])', true],
    ['sets.contains([1, 2], [3])', false],
    ['sets.equivalent([1, 2], [2, 1, 1])', true],
    ['sets.intersects([1, 2], [2, 5])', true],
    // Quantity
    ["quantity('50M').isGreaterThan(quantity('1Mi'))", true],
    ["quantity('500m').isInteger()", false],
    ["quantity('5k').asInteger()", 5000n],
    ["quantity('1.5Gi').asApproximateFloat()", 1610612736],
    ["quantity('50k').add(quantity('20k')) == quantity('70k')", true],
    ["quantity('50k').sub(20000) == quantity('30k')", true],
    ["quantity('1Mi').compareTo(quantity('1M'))", 1n],
    ["quantity('-1').sign()", -1n],
    ["quantity('1000m') == quantity('1')", true],
    ["isQuantity('1.3G')", true],
    ["isQuantity('1.3Gb')", false],
    // URL
    ["url('https://example.com:80/').getHost()", 'example.com:80'],
    ["url('https://example.com:80/').getHostname()", 'example.com'],
    ["url('https://example.com:80/').getPort()", '80'],
    ["url('https://[::1]:80/').getHostname()", '::1'],
    ["url('/absolute-path').getScheme()", ''],
    [
      "url('https://example.com/path with spaces/').getEscapedPath()",
      '/path%20with%20spaces/',
    ],
    [
      "url('https://example.com/path?k1=a&k2=b&k2=c').getQuery()",
      { k1: ['a'], k2: ['b', 'c'] },
    ],
    ["isURL('https://example.com:80/')", true],
    ["isURL('not a url')", false],
    ["isURL('example.com')", false],
    // IP and CIDR
    ["isIP('127.0.0.1')", true],
    ["isIP('::ffff:1.2.3.4')", false],
    ["isIP('127.0.0.01')", false],
    ["ip('127.0.0.1').family()", 4n],
    ["ip('::1').isLoopback()", true],
    ["ip('fe80::1').isLinkLocalUnicast()", true],
    ["ip('224.0.0.1').isLinkLocalMulticast()", true],
    ["ip('192.168.0.1').isGlobalUnicast()", true],
    ["ip('0.0.0.0').isUnspecified()", true],
    ["string(ip('2001:db8:0:0:0:0:0:1'))", '2001:db8::1'],
    ["cidr('192.168.0.0/24').containsIP('192.168.0.1')", true],
    ["cidr('192.168.0.0/24').containsIP(ip('192.168.1.1'))", false],
    ["cidr('192.168.0.0/16').containsCIDR('192.168.10.0/24')", true],
    ["cidr('192.168.0.1/24').masked() == cidr('192.168.0.0/24')", true],
    ["cidr('::1/128').prefixLength()", 128n],
    ["string(cidr('192.168.0.1/24').ip())", '192.168.0.1'],
    ["isCIDR('192.168.0.0/33')", false],
    // Named formats
    ["!format.dns1123Label().validate('my-name').hasValue()", true],
    ["format.dns1123Label().validate('-bad').hasValue()", true],
    ["format.named('labelValue').value().validate('').hasValue()", false],
    ["format.named('no-such-format').hasValue()", false],
    ["!format.qualifiedName().validate('example.com/name').hasValue()", true],
    ["!format.dns1123LabelPrefix().validate('web-').hasValue()", true],
    ["format.date().validate('2024-02-30').hasValue()", true],
    ["!format.datetime().validate('2024-02-03T10:00:00Z').hasValue()", true],
    [
      "!format.uuid().validate('123e4567-e89b-12d3-a456-426614174000').hasValue()",
      true,
    ],
    // Standard library and macros through the same engine
    ["cel.bind(n, 'web', n + '-1')", 'web-1'],
    ['object.spec.replicas + 1', 4n],
    [
      'object.spec.containers.all(c, c.ports.all(p, p.containerPort < 1024))',
      false,
    ],
    ["object.?metadata.?labels.?team.orValue('none')", 'none'],
  ])('%s', (expression, expected) => {
    const object = {
      metadata: {},
      spec: {
        replicas: 3,
        containers: [{ name: 'a', ports: [{ containerPort: 8080 }] }],
      },
    };
    expect(value(expression, object)).toEqual(expected);
  });

  it('uses RE2, not JavaScript, semantics for matches', () => {
    // Lookahead is not RE2: the API server rejects it, so must we.
    expect(run("'ab'.matches('a(?=b)')")).toMatchObject({ kind: 'error' });
    expect(value("'x\\nab'.matches('^ab')")).toBe(false);
    expect(value("'matches'.matches('matches')")).toBe(true);
  });

  it('reports library errors as evaluation errors', () => {
    expect(run("quantity('12 apples')")).toMatchObject({ kind: 'error' });
    expect(run("quantity('500m').asInteger()")).toMatchObject({
      kind: 'error',
    });
    expect(run('[].min()')).toMatchObject({ kind: 'error' });
    expect(run("url('not a url')")).toMatchObject({ kind: 'error' });
    expect(run("'a'.charAt(5)")).toMatchObject({ kind: 'error' });
  });

  it('answers unknown, never a pass, for what it cannot evaluate', () => {
    expect(
      run(
        "authorizer.group('apps').resource('deployments').check('create').allowed()",
      ),
    ).toEqual({
      kind: 'unsupported',
      reason: expect.stringContaining('authorizer'),
    });
    expect(run("semver('1.2.3').major() == 1")).toEqual({
      kind: 'unsupported',
      reason: expect.stringContaining('semver'),
    });
  });

  it('keeps hostile keys as plain data', () => {
    const hostile = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}');
    expect(value("object['__proto__'].polluted", hostile)).toBe(true);
    expect(({} as any).polluted).toBeUndefined();
  });
});

import fc from 'fast-check';
import {
  anyString,
  fuzzParameters,
  fuzzTimeout,
} from '@internal/plugin-kubernetes-security-common/testUtils';
import {
  canonicalRegistryHost,
  digestFromImageId,
  formatReference,
  InvalidReferenceError,
  parseImageReference,
  registryApiHost,
} from './imageReference';

const hex64 = fc.stringMatching(/^[a-f0-9]{64}$/);
const digest = hex64.map(hex => `sha256:${hex}`);
const pathComponent = fc.stringMatching(
  /^[a-z0-9]{1,8}([._-][a-z0-9]{1,8}){0,2}$/,
);
const registry = fc.oneof(
  fc.constantFrom(
    'docker.io',
    'index.docker.io',
    'ghcr.io',
    'localhost',
    'localhost:5000',
    'registry.example.com:443',
    '10.0.0.5:5000',
    '[::1]:5000',
    'Registry.Example.COM',
  ),
  fc.domain(),
);

/** Reference text made of the grammar's own pieces, valid or not. */
const referenceText = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '/',
        ':',
        '@',
        '.',
        '-',
        '_',
        '__',
        'sha256:',
        'localhost',
        'docker.io',
        '[::1]',
        '#',
        '?',
        '%2e',
        '\\',
        ' ',
        'user:pass@',
        '0x7f.1',
        'ＡＢ',
      ),
      pathComponent,
      digest,
      anyString,
    ),
    { maxLength: 8 },
  )
  .map(parts => parts.join(''));

function parsed(text: string) {
  try {
    return parseImageReference(text);
  } catch (error) {
    if (error instanceof InvalidReferenceError) return error;
    throw error;
  }
}

describe('image references of any text', () => {
  it(
    'parse, or are refused as invalid; what parses names exactly the host that will be contacted, and reads back the same',
    () => {
      fc.assert(
        fc.property(fc.oneof(referenceText, anyString), text => {
          const reference = parsed(text);
          if (reference instanceof InvalidReferenceError) return;
          const host = registryApiHost(reference.registry);
          // Nothing of the reference may end up as a URL's path, query, fragment or user.
          const url = new URL(`https://${host}/v2/`);
          expect({
            username: url.username,
            password: url.password,
            pathname: url.pathname,
            search: url.search,
            hash: url.hash,
          }).toEqual({
            username: '',
            password: '',
            pathname: '/v2/',
            search: '',
            hash: '',
          });
          expect(url.hostname).toBe(
            host.startsWith('[')
              ? host.slice(0, host.indexOf(']') + 1)
              : host.replace(/:\d+$/, ''),
          );
          expect(parseImageReference(formatReference(reference))).toEqual(
            reference,
          );
        }),
        fuzzParameters(2000),
      );
    },
    fuzzTimeout(),
  );

  it(
    'read their parts back from references written the usual ways',
    () => {
      fc.assert(
        fc.property(
          registry,
          fc.array(pathComponent, { minLength: 1, maxLength: 3 }),
          fc.option(fc.stringMatching(/^[\w][\w.-]{0,20}$/), {
            nil: undefined,
          }),
          fc.option(digest, { nil: undefined }),
          (host, path, tag, imageDigest) => {
            const text = `${host}/${path.join('/')}${tag ? `:${tag}` : ''}${
              imageDigest ? `@${imageDigest}` : ''
            }`;
            const reference = parseImageReference(text);
            expect(reference.registry).toBe(canonicalRegistryHost(host));
            expect(reference.digest).toBe(imageDigest);
            expect(reference.tag).toBe(
              tag ?? (imageDigest ? undefined : 'latest'),
            );
          },
        ),
        fuzzParameters(1000),
      );
    },
    fuzzTimeout(),
  );

  it(
    'take a registry digest from any image ID, or none',
    () => {
      fc.assert(
        fc.property(
          fc.oneof(
            anyString,
            digest.map(d => `docker-pullable://nginx@${d}`),
            digest.map(d => `ghcr.io/org/app@${d}`),
            digest,
          ),
          imageId => {
            const found = digestFromImageId(imageId);
            expect(
              found === undefined ||
                (/^sha256:[a-f0-9]{64}$/.test(found) &&
                  imageId.endsWith(`@${found}`)),
            ).toBe(true);
            expect(typeof canonicalRegistryHost(imageId)).toBe('string');
          },
        ),
        fuzzParameters(1000),
      );
    },
    fuzzTimeout(),
  );
});

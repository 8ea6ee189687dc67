import { parseChallenge } from './challenge';

describe('parseChallenge', () => {
  it('reads a bearer challenge with quoted values containing commas', () => {
    expect(
      parseChallenge(
        'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull,push"',
      ),
    ).toEqual({
      scheme: 'bearer',
      params: {
        realm: 'https://auth.docker.io/token',
        service: 'registry.docker.io',
        scope: 'repository:library/nginx:pull,push',
      },
    });
  });

  it('reads a basic challenge and unquoted values', () => {
    expect(parseChallenge('Basic realm=registry')).toEqual({
      scheme: 'basic',
      params: { realm: 'registry' },
    });
  });

  it('returns undefined for a missing or garbled header', () => {
    expect(parseChallenge(null)).toBeUndefined();
    expect(parseChallenge('  ')).toBeUndefined();
  });
});

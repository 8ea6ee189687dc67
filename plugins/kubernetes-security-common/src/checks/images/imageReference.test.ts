import {
  defaultPullPolicy,
  isPinnedByDigest,
  parseImageReference,
} from './imageReference';

const DIGEST =
  'sha256:a172cedcae47474b615c54d510a5d84a8dea3032e958587430b413538be3f333';

describe('parseImageReference', () => {
  it.each([
    ['nginx', {}, false, 'Always'],
    ['nginx:1.25', { tag: '1.25' }, false, 'IfNotPresent'],
    ['nginx:latest', { tag: 'latest' }, false, 'Always'],
    ['localhost:5000/app', {}, false, 'Always'],
    ['localhost:5000/team/app:2.0', { tag: '2.0' }, false, 'IfNotPresent'],
    [`app@${DIGEST}`, { digest: DIGEST }, true, 'IfNotPresent'],
    [
      `registry.example.com:443/app:latest@${DIGEST}`,
      { tag: 'latest', digest: DIGEST },
      true,
      'Always',
    ],
    [
      'app@sha256:a172cedcae47',
      { digest: 'sha256:a172cedcae47' },
      false,
      'IfNotPresent',
    ],
  ])('%s', (image, reference, pinned, policy) => {
    const parsed = parseImageReference(image);
    expect(parsed).toEqual(reference);
    expect(isPinnedByDigest(parsed)).toBe(pinned);
    expect(defaultPullPolicy(parsed)).toBe(policy);
  });
});

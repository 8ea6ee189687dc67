/** What a container image reference names, split as the kubelet's parser (distribution/reference) does. */
export interface ImageReference {
  /** The tag as written; absent when there is none. */
  tag?: string;
  /** The digest as written after `@`, e.g. `sha256:…`; absent when there is none. */
  digest?: string;
}

// The algorithms go-digest accepts, each with its exact length; anything else fails to parse.
const VALID_DIGEST =
  /^(?:sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128})$/;

export function parseImageReference(image: string): ImageReference {
  const at = image.indexOf('@');
  const name = at === -1 ? image : image.slice(0, at);
  // A ':' before the last '/' belongs to the registry host's port, e.g. `localhost:5000/app`.
  const lastComponent = name.slice(name.lastIndexOf('/') + 1);
  const colon = lastComponent.lastIndexOf(':');
  return {
    ...(colon === -1 ? {} : { tag: lastComponent.slice(colon + 1) }),
    ...(at === -1 ? {} : { digest: image.slice(at + 1) }),
  };
}

/** Whether the reference names one immutable image: it has a valid digest, with or without a tag. */
export function isPinnedByDigest(reference: ImageReference): boolean {
  return reference.digest !== undefined && VALID_DIGEST.test(reference.digest);
}

/** `imagePullPolicy` as the API server defaults it: `Always` for `latest`, stated or implied by a missing tag and digest. */
export function defaultPullPolicy({
  tag,
  digest,
}: ImageReference): 'Always' | 'IfNotPresent' {
  return (tag ?? (digest === undefined ? 'latest' : undefined)) === 'latest'
    ? 'Always'
    : 'IfNotPresent';
}

import { CelLibraryError } from './celErrors';

/**
 * The Kubernetes CEL URL library: like Go's `url.ParseRequestURI`, a URL is
 * an absolute URI with a path, or an absolute path. The WHATWG parser is not
 * used because it normalises (drops default ports, lowercases), and policies
 * compare the text as Kubernetes sees it.
 */
export class KubeUrl {
  constructor(
    readonly scheme: string,
    readonly host: string,
    readonly rawPath: string,
    readonly rawQuery: string,
  ) {}

  get hostname(): string {
    if (this.host.startsWith('[')) {
      return this.host.slice(1, this.host.indexOf(']'));
    }
    const colon = this.host.lastIndexOf(':');
    return colon < 0 ? this.host : this.host.slice(0, colon);
  }

  get port(): string {
    const end = this.host.startsWith('[') ? this.host.indexOf(']') : -1;
    const colon = this.host.lastIndexOf(':');
    return colon > end ? this.host.slice(colon + 1) : '';
  }

  get escapedPath(): string {
    return this.rawPath.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/%]/gu, char =>
      encodeURIComponent(char),
    );
  }

  get query(): Record<string, string[]> {
    const values: Record<string, string[]> = Object.create(null);
    for (const pair of this.rawQuery.split('&')) {
      if (pair === '' || pair.includes(';')) continue;
      const equals = pair.indexOf('=');
      const key = decodeQueryPart(equals < 0 ? pair : pair.slice(0, equals));
      const value = decodeQueryPart(equals < 0 ? '' : pair.slice(equals + 1));
      if (key === undefined || value === undefined) continue;
      (values[key] ??= []).push(value);
    }
    return values;
  }
}

function decodeQueryPart(part: string): string | undefined {
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/su;
const HOST = /^(\[[0-9A-Fa-f:.]+(%[^\]]*)?\]|[^\s[\]/?#@]*)(:\d*)?$/u;
const BAD_ESCAPE = /%(?![0-9A-Fa-f]{2})/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

export function parseKubeUrl(text: string): KubeUrl | undefined {
  if (text === '' || CONTROL.test(text)) return undefined;
  let scheme = '';
  let rest = text;
  if (!text.startsWith('/')) {
    const match = SCHEME.exec(text);
    if (!match) return undefined;
    [, scheme, rest] = match;
    if (!rest.startsWith('/')) return undefined;
  }
  let host = '';
  if (scheme && rest.startsWith('//')) {
    const end = rest.slice(2).search(/[/?]/u);
    const authority = end < 0 ? rest.slice(2) : rest.slice(2, end + 2);
    rest = end < 0 ? '' : rest.slice(end + 2);
    host = authority.slice(authority.lastIndexOf('@') + 1);
    if (!HOST.test(host)) return undefined;
  }
  const question = rest.indexOf('?');
  const rawPath = question < 0 ? rest : rest.slice(0, question);
  const rawQuery = question < 0 ? '' : rest.slice(question + 1);
  if (BAD_ESCAPE.test(rawPath) || BAD_ESCAPE.test(host)) return undefined;
  return new KubeUrl(scheme, host, rawPath, rawQuery);
}

export function kubeUrl(text: string): KubeUrl {
  const url = parseKubeUrl(text);
  if (!url)
    throw new CelLibraryError(
      `URL parse error during conversion from string: "${text}"`,
    );
  return url;
}

import { notAcceptableError } from './status';

/** How a response body is rendered, chosen from the request's Accept header. */
export type ResponseFormat =
  | { type: 'json' }
  | { type: 'yaml' }
  | { type: 'partialObjectMetadata'; list: boolean };

interface MediaRange {
  type: string;
  subtype: string;
  params: Record<string, string>;
  quality: number;
}

function parseMediaRange(text: string): MediaRange | undefined {
  const [mediaType, ...paramTexts] = text.split(';').map(part => part.trim());
  const [type, subtype] = mediaType.toLowerCase().split('/');
  if (!type || !subtype) return undefined;
  const params: Record<string, string> = {};
  for (const paramText of paramTexts) {
    const equals = paramText.indexOf('=');
    if (equals > 0) {
      params[paramText.slice(0, equals).trim().toLowerCase()] = paramText
        .slice(equals + 1)
        .trim();
    }
  }
  const quality = params.q === undefined ? 1 : Number.parseFloat(params.q);
  return {
    type,
    subtype,
    params,
    quality: Number.isNaN(quality) ? 0 : quality,
  };
}

function formatFor({
  type,
  subtype,
  params,
}: MediaRange): ResponseFormat | undefined {
  if (type === '*' && subtype === '*') return { type: 'json' };
  if (type !== 'application') return undefined;
  if (subtype === '*') return { type: 'json' };
  if (subtype === 'yaml' && params.as === undefined) return { type: 'yaml' };
  if (subtype !== 'json') return undefined;
  if (params.as === undefined) return { type: 'json' };
  // Of the meta.k8s.io transformations only PartialObjectMetadata is implemented;
  // clients asking for Table list application/json as their fallback.
  if (params.g === 'meta.k8s.io' && params.v === 'v1') {
    if (params.as === 'PartialObjectMetadata') {
      return { type: 'partialObjectMetadata', list: false };
    }
    if (params.as === 'PartialObjectMetadataList') {
      return { type: 'partialObjectMetadata', list: true };
    }
  }
  return undefined;
}

/**
 * Picks the first supported media range in order of quality (ties keep the
 * client's order), like the apiserver's negotiation; no header means JSON.
 */
export function negotiateResponseFormat(
  accept: string | undefined,
): ResponseFormat {
  if (!accept?.trim()) return { type: 'json' };
  const ranges = accept
    .split(',')
    .map(parseMediaRange)
    .filter(
      (range): range is MediaRange => range !== undefined && range.quality > 0,
    )
    .sort((a, b) => b.quality - a.quality);
  for (const range of ranges) {
    const format = formatFor(range);
    if (format) return format;
  }
  throw notAcceptableError(
    'only the following media types are accepted: application/json, application/yaml',
  );
}

export function contentTypeOf(format: ResponseFormat): string {
  switch (format.type) {
    case 'yaml':
      return 'application/yaml';
    case 'partialObjectMetadata':
      return `application/json;as=PartialObjectMetadata${
        format.list ? 'List' : ''
      };g=meta.k8s.io;v=v1`;
    default:
      return 'application/json';
  }
}

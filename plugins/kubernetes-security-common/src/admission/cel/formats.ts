import { parseKubeUrl } from './url';

/**
 * The named formats of the Kubernetes CEL format library (1.31+), the same
 * rules the API server applies to names, labels and OpenAPI string formats.
 * `validate` answers the problems found; none means the value is valid.
 */
export class NamedFormat {
  constructor(
    readonly name: string,
    readonly validate: (value: string) => string[],
  ) {}
}

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const UUID =
  /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const BASE64 =
  /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function tooLong(value: string, max: number): string[] {
  return value.length > max ? [`must be no more than ${max} characters`] : [];
}

function dns1123Label(value: string): string[] {
  return [
    ...tooLong(value, 63),
    ...(LABEL.test(value)
      ? []
      : [
          "a lowercase RFC 1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit",
        ]),
  ];
}

function dns1123Subdomain(value: string): string[] {
  const valid =
    value !== '' && value.split('.').every(part => LABEL.test(part));
  return [
    ...tooLong(value, 253),
    ...(valid
      ? []
      : [
          "a lowercase RFC 1123 subdomain: dot-separated labels of lower-case letters, digits and '-'",
        ]),
  ];
}

function dns1035Label(value: string): string[] {
  return [
    ...tooLong(value, 63),
    ...(DNS1035.test(value)
      ? []
      : [
          "a DNS-1035 label: lower-case letters, digits and '-', starting with a letter and ending with a letter or digit",
        ]),
  ];
}

function qualifiedName(value: string): string[] {
  const parts = value.split('/');
  if (parts.length > 2) {
    return ["a qualified name has at most one '/' between prefix and name"];
  }
  const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]];
  const problems: string[] = [];
  if (prefix !== undefined) {
    if (prefix === '') problems.push('prefix part must be non-empty');
    else
      problems.push(...dns1123Subdomain(prefix).map(p => `prefix part ${p}`));
  }
  if (name === '') problems.push('name part must be non-empty');
  else {
    problems.push(...tooLong(name, 63).map(p => `name part ${p}`));
    if (!QUALIFIED_NAME_PART.test(name)) {
      problems.push(
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
      );
    }
  }
  return problems;
}

/** `generateName` prefixes may end in '-'; the name completes it. */
function asPrefix(validate: (value: string) => string[]) {
  return (value: string) => validate(value.replace(/-$/, 'a'));
}

function labelValue(value: string): string[] {
  return [
    ...tooLong(value, 63),
    ...(LABEL_VALUE.test(value)
      ? []
      : [
          "a label value must be empty or consist of alphanumeric characters, '-', '_' or '.', starting and ending with an alphanumeric character",
        ]),
  ];
}

function validDate(year: string, month: string, day: string): boolean {
  const parsed = new Date(Date.UTC(+year, +month - 1, +day));
  return (
    parsed.getUTCFullYear() === +year &&
    parsed.getUTCMonth() === +month - 1 &&
    parsed.getUTCDate() === +day
  );
}

function date(value: string): string[] {
  const match = DATE.exec(value);
  return match && validDate(match[1], match[2], match[3])
    ? []
    : ['an RFC 3339 full-date, e.g. 2024-01-31'];
}

function dateTime(value: string): string[] {
  const match = DATE_TIME.exec(value);
  const valid =
    match &&
    date(match[1]).length === 0 &&
    +match[2] < 24 &&
    +match[3] < 60 &&
    +match[4] < 61;
  return valid ? [] : ['an RFC 3339 date-time, e.g. 2024-01-31T12:00:00Z'];
}

export const NAMED_FORMATS: Record<string, NamedFormat> = Object.fromEntries(
  Object.entries({
    dns1123Label,
    dns1123Subdomain,
    dns1035Label,
    qualifiedName,
    dns1123LabelPrefix: asPrefix(dns1123Label),
    dns1123SubdomainPrefix: asPrefix(dns1123Subdomain),
    dns1035LabelPrefix: asPrefix(dns1035Label),
    labelValue,
    uri: (value: string) =>
      parseKubeUrl(value) ? [] : ['an absolute URI or an absolute path'],
    uuid: (value: string) => (UUID.test(value) ? [] : ['a UUID']),
    byte: (value: string) =>
      BASE64.test(value) ? [] : ['base64-encoded data'],
    date,
    datetime: dateTime,
  }).map(([name, validate]) => [name, new NamedFormat(name, validate)]),
);

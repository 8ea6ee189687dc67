/** An HTTP authentication challenge, e.g. `Bearer realm="…",service="…",scope="…"`. */
export interface AuthChallenge {
  scheme: string;
  params: Record<string, string>;
}

const PARAM = /([a-zA-Z_]+)=(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g;

/**
 * Parses the first challenge of a `WWW-Authenticate` header. Registries send
 * one; the parameters' values may be quoted and contain commas (scopes).
 */
export function parseChallenge(
  header: string | null,
): AuthChallenge | undefined {
  if (!header) return undefined;
  const match = /^\s*([A-Za-z][\w-]*)\s*(.*)$/s.exec(header.slice(0, 4096));
  if (!match) return undefined;
  const params: Record<string, string> = {};
  for (const [, key, quoted, bare] of match[2].matchAll(PARAM)) {
    params[key.toLowerCase()] =
      quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : bare;
  }
  return { scheme: match[1].toLowerCase(), params };
}

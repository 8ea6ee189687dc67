/**
 * Guards the API-server URLs the plugin will send credentials to. Cluster URLs
 * come from config (and later from catalog entities), so a mistyped or hostile
 * value must not turn scans into requests with a bearer token to somewhere else.
 */
export function validateApiServerUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`"${raw}" is not a valid URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`"${raw}" must use https (or http for a local API server)`);
  }
  if (url.username || url.password) {
    throw new Error(`"${url.host}" must not embed credentials in the URL`);
  }
  if (url.search || url.hash) {
    throw new Error(`"${raw}" must not have a query or fragment`);
  }
  return url;
}

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
  // Plain http would send the bearer token in clear text: only to this
  // machine (kubectl proxy, a local simulator).
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw new Error(
      `"${raw}" must use https; http is only accepted on loopback addresses`,
    );
  }
  if (url.username || url.password) {
    throw new Error(`"${url.host}" must not embed credentials in the URL`);
  }
  if (url.search || url.hash) {
    throw new Error(`"${raw}" must not have a query or fragment`);
  }
  return url;
}

function isLoopback(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname === '[::1]' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  );
}

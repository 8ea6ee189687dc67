import type { ScanError } from '@internal/plugin-kubernetes-security-common';
import type { ClusterReading } from './readCluster';

// Only a change of permissions, credentials or configuration cures these (or
// the cluster does not serve the API): reported as partial data. Everything
// else may pass by itself.
const LASTING_ERRORS: ScanError['type'][] = [
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_REQUEST',
  'CONFIGURATION',
];

function isTransient(error: ScanError): boolean {
  return !LASTING_ERRORS.includes(error.type);
}

/** Each distinct message once, with the resources it cost unless it cost them all. */
function describeErrors(errors: ScanError[], everything = false): string {
  const byMessage = new Map<string, string[]>();
  for (const error of errors) {
    const resources = byMessage.get(error.message) ?? [];
    if (error.resource && !resources.includes(error.resource)) {
      resources.push(error.resource);
    }
    byMessage.set(error.message, resources);
  }
  return [...byMessage]
    .map(([message, resources]) =>
      resources.length > 0 && !everything
        ? `${message} [${resources.join(', ')}]`
        : message,
    )
    .join('; ');
}

export function abortReason(signal: AbortSignal): string {
  return `Scan aborted: ${
    signal.reason instanceof Error
      ? signal.reason.message
      : String(signal.reason)
  }`;
}

/**
 * Why what a scan read must not replace the last good reports, if it must
 * not. A list that failed for a reason that may pass (unreachable, timeout,
 * 5xx, garbage, too large) would leave workloads or policies out and make
 * reports look better than they are. Missing permissions stay partial data,
 * explained in each report: they do not pass by themselves.
 */
export function unstorableReason(
  { collected, discovery, admission }: ClusterReading,
  signal: AbortSignal,
): string | undefined {
  if (signal.aborted) return abortReason(signal);
  if (collected.failed) return describeErrors(collected.errors, true);
  const incomplete = [
    ...collected.errors,
    ...discovery.errors,
    ...(admission?.errors ?? []),
  ].filter(isTransient);
  return incomplete.length > 0
    ? `Incomplete data, not stored: ${describeErrors(incomplete)}`
    : undefined;
}

/**
 * Runs `scan` with a signal that aborts after `timeoutMs`, or when `outer`
 * (the scheduler's) does, saying which.
 */
export async function withDeadline<T>(
  timeoutMs: number,
  outer: AbortSignal | undefined,
  scan: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const abort = new AbortController();
  const deadline = setTimeout(
    () =>
      abort.abort(
        new Error(`the scan took longer than its ${timeoutMs} ms timeout`),
      ),
    timeoutMs,
  );
  const cancel = () =>
    abort.abort(
      new Error(
        'the scheduler stopped it (task timeout, shutdown, or the cluster is no longer located)',
      ),
    );
  if (outer?.aborted) cancel();
  outer?.addEventListener('abort', cancel);
  try {
    return await scan(abort.signal);
  } finally {
    clearTimeout(deadline);
    outer?.removeEventListener('abort', cancel);
  }
}

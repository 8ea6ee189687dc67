import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { startDemoRegistry } from './demoRegistry';

/**
 * Serves the demo registry until SIGINT/SIGTERM:
 *   node --require @backstage/cli/config/nodeTransform.cjs src/registry/bin.ts <port> <dir>
 * `<dir>` receives `trusted_root.json` and `cosign.pub` for the backend's
 * config, written once every image is served.
 */
async function main(
  port: string | undefined,
  dir: string | undefined,
): Promise<void> {
  if (!port || !dir || !/^\d+$/.test(port)) {
    process.stderr.write('Usage: demo-registry <port> <dir>\n');
    process.exitCode = 2;
    return;
  }
  const directory = resolve(dir);
  await mkdir(directory, { recursive: true });
  const demo = await startDemoRegistry({ port: Number(port), dir: directory });
  process.stdout.write(
    `demo registry: ${demo.registry.url} (trusted root ${demo.trustedRootPath}, key ${demo.publicKeyPath})\n`,
  );
  for (const image of demo.images)
    process.stdout.write(
      `  ${image.registry}/${image.repository}:${image.tag}  ${
        image.pushed ? image.digest : 'not pushed'
      }  ${image.expected}\n`,
    );
  const shutdown = () => {
    demo.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main(process.argv[2], process.argv[3]).catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});

import { resolve } from 'node:path';
import { loadSimulatorConfig, startSimulatorFromConfig } from './config';

/** Starts every cluster of a simulator config and serves until SIGINT/SIGTERM. */
async function main(configFile: string | undefined): Promise<void> {
  if (!configFile) {
    process.stderr.write('Usage: simulated-cluster <config.yaml>\n');
    process.exitCode = 2;
    return;
  }
  const config = await loadSimulatorConfig(resolve(configFile));
  const clusters = await startSimulatorFromConfig(config);
  for (const cluster of clusters) {
    process.stdout.write(
      `${cluster.name}: ${cluster.url} (Kubernetes ${cluster.versionInfo.gitVersion})\n`,
    );
  }

  const shutdown = (signal: NodeJS.Signals) => {
    process.stdout.write(
      `${signal} received, stopping ${clusters.length} cluster(s)\n`,
    );
    Promise.all(clusters.map(cluster => cluster.stop())).then(
      () => process.exit(0),
      error => {
        process.stderr.write(`Failed to stop cleanly: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main(process.argv[2]).catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});

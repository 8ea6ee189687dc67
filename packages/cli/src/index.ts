/**
 * The `kubernetes-security` command: checks Kubernetes manifests offline with
 * the checks the Kubernetes Security backend runs on clusters.
 *
 * @packageDocumentation
 */
import { EXIT_INPUT_ERROR, runCli } from './cli';

runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  stdin: process.stdin,
  stdout: text => process.stdout.write(text),
  stderr: text => process.stderr.write(text),
}).then(
  exitCode => {
    // Not process.exit(): that could cut off a large report still being written to a pipe.
    process.exitCode = exitCode;
  },
  (error: unknown) => {
    process.stderr.write(
      `error: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = EXIT_INPUT_ERROR;
  },
);

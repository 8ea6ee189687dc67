import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import {
  ALL_CHECKS,
  getCheck,
  SEVERITIES,
  selectChecks,
} from '@internal/plugin-kubernetes-security-common';
import type { Severity } from '@internal/plugin-kubernetes-security-common';
import { collectObjects } from './collectObjects';
import { formatJson } from './formatJson';
import { formatSarif } from './formatSarif';
import { formatTable } from './formatTable';
import { readInputs } from './readInputs';
import type { InputError } from './readInputs';
import { runCheck } from './runCheck';
import { registerVerifyImage } from './verifyImage';
import type { CheckReport } from './runCheck';

/** Exit codes; an input error wins over findings, since the findings of an incomplete check cannot be trusted. */
const EXIT_OK = 0;
const EXIT_FINDINGS = 1;
export const EXIT_INPUT_ERROR = 2;

const FORMATTERS: Record<string, (report: CheckReport) => string> = {
  table: formatTable,
  json: formatJson,
  sarif: formatSarif,
};

export interface CliIo {
  /** Relative paths are resolved against it. */
  cwd: string;
  stdin: NodeJS.ReadableStream;
  stdout(text: string): void;
  stderr(text: string): void;
}

interface CheckOptions {
  format: string;
  failOn: Severity | 'none';
  checks?: string[];
  skip?: string[];
  output?: string;
}

/** Runs the command line (without `node` and the script) and returns the exit code. */
export async function runCli(args: string[], io: CliIo): Promise<number> {
  let exitCode = EXIT_OK;
  const program = new Command('kubernetes-security')
    .description('Kubernetes Security for Backstage, offline')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  program
    .command('check')
    .description(
      'Check Kubernetes manifests with the checks of the Kubernetes Security plugin',
    )
    .argument(
      '<inputs...>',
      'files, directories (searched for *.yaml, *.yml, *.json) or - for standard input',
    )
    .addOption(
      new Option('--format <format>', 'output format')
        .choices(Object.keys(FORMATTERS))
        .default('table'),
    )
    .addOption(
      new Option(
        '--fail-on <severity>',
        'exit 1 when a finding has this severity or worse',
      )
        .choices([...SEVERITIES, 'none'])
        .default('high'),
    )
    .option(
      '--checks <ids>',
      'run only these checks (comma-separated ids)',
      commaSeparated,
    )
    .option(
      '--skip <ids>',
      'do not run these checks (comma-separated ids)',
      commaSeparated,
    )
    .option(
      '-o, --output <file>',
      'write the report to this file instead of standard output',
    )
    .action(async (inputs: string[], options: CheckOptions) => {
      exitCode = await check(inputs, options, io);
    });
  registerVerifyImage(program, io, code => (exitCode = code));

  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (error) {
    // Commander has already printed the usage error (or the help, with exit code 0).
    if (error instanceof CommanderError)
      return error.exitCode === 0 ? EXIT_OK : EXIT_INPUT_ERROR;
    throw error;
  }
  return exitCode;
}

async function check(
  inputs: string[],
  options: CheckOptions,
  io: CliIo,
): Promise<number> {
  const unknownIds = [
    ...(options.checks ?? []),
    ...(options.skip ?? []),
  ].filter(id => !getCheck(id));
  if (unknownIds.length) {
    io.stderr(
      `error: unknown check id${
        unknownIds.length === 1 ? '' : 's'
      }: ${unknownIds.join(', ')}\n` +
        `valid ids: ${ALL_CHECKS.map(c => c.id).join(', ')}\n`,
    );
    return EXIT_INPUT_ERROR;
  }
  const checks = selectChecks({
    include: options.checks,
    exclude: options.skip,
  });

  const read = await readInputs(inputs, io);
  const collected = collectObjects(read.files);
  const errors = [...read.errors, ...collected.errors];
  for (const error of errors)
    io.stderr(`error: ${describeInputError(error)}\n`);

  const report: CheckReport = {
    ...runCheck(collected.objects, checks),
    files: read.files.length,
    errors,
  };
  const output = FORMATTERS[options.format](report);
  if (options.output) {
    await writeFile(resolve(io.cwd, options.output), output);
  } else {
    io.stdout(output);
  }

  if (errors.length) return EXIT_INPUT_ERROR;
  const threshold =
    options.failOn === 'none' ? -1 : SEVERITIES.indexOf(options.failOn);
  const failing = report.findings.some(
    finding => SEVERITIES.indexOf(finding.severity) <= threshold,
  );
  return failing ? EXIT_FINDINGS : EXIT_OK;
}

function commaSeparated(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map(id => id.trim())
      .filter(Boolean),
  ];
}

/** `file:line:column: message`, as compilers print it, so editors can jump there. */
function describeInputError({
  file,
  line,
  column,
  message,
}: InputError): string {
  const location = [file, line, line && column].filter(Boolean).join(':');
  return `${location}: ${message}`;
}

import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** The text of one input, named as the user should see it. */
export interface InputFile {
  /** Path relative to the working directory with `/` separators (absolute outside it), or `<stdin>`. */
  name: string;
  text: string;
}

/** An input that could not be read or parsed. */
export interface InputError {
  file: string;
  line?: number;
  column?: number;
  message: string;
}

export const STDIN_NAME = '<stdin>';

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

export interface ReadInputsOptions {
  /** Relative paths are resolved against it, and file names are shown relative to it. */
  cwd: string;
  stdin: NodeJS.ReadableStream;
}

/**
 * Reads the files, directories and `-` (standard input) given on the command
 * line. An input that cannot be read becomes an error; the others are still read.
 */
export async function readInputs(
  inputs: string[],
  { cwd, stdin }: ReadInputsOptions,
): Promise<{ files: InputFile[]; errors: InputError[] }> {
  const files: InputFile[] = [];
  const errors: InputError[] = [];
  const seen = new Set<string>();

  const readOnce = async (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    const name = displayName(cwd, path);
    try {
      files.push({ name, text: await readFile(path, 'utf8') });
    } catch (error) {
      errors.push({ file: name, message: describeFsError(error) });
    }
  };

  for (const input of inputs) {
    if (input === '-') {
      if (!seen.has(input)) {
        seen.add(input);
        files.push({ name: STDIN_NAME, text: await readStream(stdin) });
      }
      continue;
    }
    const path = resolve(cwd, input);
    let paths: string[];
    try {
      paths = (await stat(path)).isDirectory()
        ? await manifestsUnder(path)
        : [path];
    } catch (error) {
      errors.push({
        file: displayName(cwd, path),
        message: describeFsError(error),
      });
      continue;
    }
    // An empty directory is most likely a wrong path: checking nothing must not pass silently.
    if (paths.length === 0) {
      errors.push({
        file: displayName(cwd, path),
        message: 'no *.yaml, *.yml or *.json files found',
      });
    }
    for (const file of paths) await readOnce(file);
  }
  return { files, errors };
}

/** Manifest files under a directory, in a stable order; hidden files and folders (e.g. `.git`) are skipped. */
async function manifestsUnder(directory: string): Promise<string[]> {
  const entries = await readdir(directory, {
    recursive: true,
    withFileTypes: true,
  });
  return entries
    .filter(
      entry =>
        entry.isFile() &&
        MANIFEST_EXTENSIONS.has(extname(entry.name).toLowerCase()),
    )
    .map(entry => join(entry.parentPath, entry.name))
    .filter(
      path =>
        !relative(directory, path)
          .split(sep)
          .some(segment => segment.startsWith('.')),
    )
    .sort();
}

/** Relative to the working directory when inside it, as users and code-scanning UIs expect; else absolute. */
function displayName(cwd: string, path: string): string {
  const fromCwd = relative(cwd, path);
  if (fromCwd.startsWith('..') || isAbsolute(fromCwd)) return path;
  return fromCwd.split(sep).join('/') || '.';
}

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

const FS_ERROR_MESSAGES: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EISDIR: 'is a directory',
};

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code && FS_ERROR_MESSAGES[code]) return FS_ERROR_MESSAGES[code];
  return error instanceof Error ? error.message : String(error);
}

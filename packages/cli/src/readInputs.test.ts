import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { readInputs } from './readInputs';

describe('readInputs', () => {
  let cwd: string;

  beforeEach(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'kubernetes-security-read-'));
  });

  afterEach(() => rm(cwd, { recursive: true, force: true }));

  async function write(files: Record<string, string>) {
    for (const [path, text] of Object.entries(files)) {
      await mkdir(dirname(join(cwd, path)), { recursive: true });
      await writeFile(join(cwd, path), text);
    }
  }

  const noStdin = Readable.from([]);

  it('reads directories recursively, only manifest extensions, skipping hidden entries', async () => {
    await write({
      'k8s/b.yaml': 'b',
      'k8s/a.yml': 'a',
      'k8s/nested/c.json': '{}',
      'k8s/nested/README.md': 'not a manifest',
      'k8s/.git/config.yaml': 'hidden',
      'k8s/.hidden.yaml': 'hidden',
    });
    const { files, errors } = await readInputs(['k8s'], {
      cwd,
      stdin: noStdin,
    });
    expect(errors).toEqual([]);
    expect(files).toEqual([
      { name: 'k8s/a.yml', text: 'a' },
      { name: 'k8s/b.yaml', text: 'b' },
      { name: 'k8s/nested/c.json', text: '{}' },
    ]);
  });

  it('reads a named file whatever its extension, once even if named twice', async () => {
    await write({ 'manifest.txt': 'kind: Pod' });
    const { files } = await readInputs(['manifest.txt', './manifest.txt'], {
      cwd,
      stdin: noStdin,
    });
    expect(files).toEqual([{ name: 'manifest.txt', text: 'kind: Pod' }]);
  });

  it('reads standard input for -', async () => {
    const stdin = Readable.from([Buffer.from('kind: '), Buffer.from('Pod\n')]);
    const { files } = await readInputs(['-'], { cwd, stdin });
    expect(files).toEqual([{ name: '<stdin>', text: 'kind: Pod\n' }]);
  });

  it('names files outside the working directory by their absolute path', async () => {
    await write({ 'outside/pod.yaml': 'kind: Pod' });
    const inside = join(cwd, 'inside');
    await mkdir(inside);
    const { files } = await readInputs(['../outside/pod.yaml'], {
      cwd: inside,
      stdin: noStdin,
    });
    expect(files).toEqual([
      { name: join(cwd, 'outside/pod.yaml'), text: 'kind: Pod' },
    ]);
  });

  it('reports missing paths and empty directories, and still reads the other inputs', async () => {
    await write({ 'ok.yaml': 'ok', 'empty/notes.txt': '' });
    const { files, errors } = await readInputs(
      ['missing.yaml', 'empty', 'ok.yaml'],
      { cwd, stdin: noStdin },
    );
    expect(files).toEqual([{ name: 'ok.yaml', text: 'ok' }]);
    expect(errors).toEqual([
      { file: 'missing.yaml', message: 'no such file or directory' },
      { file: 'empty', message: 'no *.yaml, *.yml or *.json files found' },
    ]);
  });
});

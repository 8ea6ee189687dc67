import { createScanSlots } from './scanSlots';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>(res => {
    resolve = res;
  });
  return { promise, resolve };
}

const settle = () => new Promise(resolve => setImmediate(resolve));

describe('createScanSlots', () => {
  it('runs at most the given number of scans together, the others in order', async () => {
    const inSlot = createScanSlots(2);
    const started: string[] = [];
    const gates = new Map(['a', 'b', 'c', 'd'].map(name => [name, deferred()]));
    const scans = [...gates].map(([name, gate]) =>
      inSlot(async () => {
        started.push(name);
        await gate.promise;
        return name;
      }),
    );
    await settle();
    expect(started).toEqual(['a', 'b']);
    gates.get('b')!.resolve();
    await settle();
    expect(started).toEqual(['a', 'b', 'c']);
    gates.get('a')!.resolve();
    gates.get('c')!.resolve();
    gates.get('d')!.resolve();
    await expect(Promise.all(scans)).resolves.toEqual(['a', 'b', 'c', 'd']);
  });

  it('frees the slot of a failed scan', async () => {
    const inSlot = createScanSlots(1);
    await expect(
      inSlot(async () => {
        throw new Error('cluster gone');
      }),
    ).rejects.toThrow('cluster gone');
    await expect(inSlot(async () => 'next')).resolves.toBe('next');
  });

  it('lets a waiting scan whose signal aborts leave without starting', async () => {
    const inSlot = createScanSlots(1);
    const gate = deferred();
    const first = inSlot(() => gate.promise);
    const controller = new AbortController();
    const scan = jest.fn(async () => 'never');
    const waiting = inSlot(scan, controller.signal);
    const after = inSlot(async () => 'after');
    controller.abort(new Error('backend stopping'));
    await expect(waiting).rejects.toThrow('backend stopping');
    gate.resolve();
    await first;
    await expect(after).resolves.toBe('after');
    expect(scan).not.toHaveBeenCalled();
  });

  it('refuses a number of slots that is not a whole number of at least 1', () => {
    expect(() => createScanSlots(0)).toThrow(/at least 1/);
    expect(() => createScanSlots(1.5)).toThrow(/at least 1/);
  });
});

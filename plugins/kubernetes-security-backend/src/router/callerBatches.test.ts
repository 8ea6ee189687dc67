import { mockCredentials } from '@backstage/backend-test-utils';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { createCallerBatches } from './callerBatches';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A lookup that records its batches and answers each when told to. */
function recordingLookup() {
  const batches: {
    items: string[];
    credentials: BackstageCredentials;
    answer: ReturnType<typeof deferred<string[]>>;
  }[] = [];
  const lookup = (items: string[], credentials: BackstageCredentials) => {
    const answer = deferred<string[]>();
    batches.push({ items, credentials, answer });
    return answer.promise;
  };
  const answerAll = (index: number) =>
    batches[index].answer.resolve(batches[index].items.map(i => `ok:${i}`));
  return { batches, lookup, answerAll };
}

const nextTurn = () => new Promise(resolve => setImmediate(resolve));

describe('createCallerBatches', () => {
  const alice = mockCredentials.user('user:default/alice');
  const bob = mockCredentials.user('user:default/bob');

  it("sends one caller's concurrent lookups as one batch, answering each", async () => {
    const { batches, lookup, answerAll } = recordingLookup();
    const batched = createCallerBatches(lookup, {
      maxBatchSize: 100,
      reuseForMs: 0,
    });
    const answers = Promise.all(
      ['a', 'b', 'c'].map(item => batched('token-a', alice, item)),
    );
    await nextTurn();
    expect(batches.map(b => b.items)).toEqual([['a', 'b', 'c']]);
    answerAll(0);
    await expect(answers).resolves.toEqual(['ok:a', 'ok:b', 'ok:c']);
  });

  it('never answers a lookup from a batch sent before it arrived', async () => {
    const { batches, lookup, answerAll } = recordingLookup();
    const batched = createCallerBatches(lookup, {
      maxBatchSize: 100,
      reuseForMs: 0,
    });
    const early = batched('token-a', alice, 'early');
    await nextTurn();
    const late = [
      batched('token-a', alice, 'x'),
      batched('token-a', alice, 'y'),
    ];
    await nextTurn();
    // The first batch is still in flight: the late lookups wait for the next.
    expect(batches.map(b => b.items)).toEqual([['early']]);
    answerAll(0);
    await expect(early).resolves.toBe('ok:early');
    await nextTurn();
    expect(batches.map(b => b.items)).toEqual([['early'], ['x', 'y']]);
    answerAll(1);
    await expect(Promise.all(late)).resolves.toEqual(['ok:x', 'ok:y']);
  });

  it('keeps callers apart, each with its own credentials', async () => {
    const { batches, lookup, answerAll } = recordingLookup();
    const batched = createCallerBatches(lookup, {
      maxBatchSize: 100,
      reuseForMs: 0,
    });
    const answers = Promise.all([
      batched('token-a', alice, 'a'),
      batched('token-b', bob, 'b'),
    ]);
    await nextTurn();
    expect(batches.map(b => [b.items, b.credentials])).toEqual([
      [['a'], alice],
      [['b'], bob],
    ]);
    answerAll(0);
    answerAll(1);
    await expect(answers).resolves.toEqual(['ok:a', 'ok:b']);
  });

  it('sends lookups without a caller key alone', async () => {
    const { batches, lookup, answerAll } = recordingLookup();
    const batched = createCallerBatches(lookup, {
      maxBatchSize: 100,
      reuseForMs: 0,
    });
    const answers = [
      batched(undefined, alice, 'a'),
      batched(undefined, alice, 'b'),
    ];
    await nextTurn();
    expect(batches.map(b => b.items)).toEqual([['a'], ['b']]);
    answerAll(0);
    answerAll(1);
    await expect(Promise.all(answers)).resolves.toEqual(['ok:a', 'ok:b']);
  });

  it('fails only the lookups of a failed batch, then goes on', async () => {
    const { batches, lookup, answerAll } = recordingLookup();
    const batched = createCallerBatches(lookup, {
      maxBatchSize: 100,
      reuseForMs: 0,
    });
    const failing = [batched('t', alice, 'a'), batched('t', alice, 'b')];
    await nextTurn();
    const next = batched('t', alice, 'c');
    batches[0].answer.reject(new Error('catalog unavailable'));
    await expect(Promise.all(failing)).rejects.toThrow('catalog unavailable');
    await nextTurn();
    answerAll(1);
    await expect(next).resolves.toBe('ok:c');
  });

  it('splits a long queue into batches of the largest size', async () => {
    const { batches, lookup, answerAll } = recordingLookup();
    const batched = createCallerBatches(lookup, {
      maxBatchSize: 2,
      reuseForMs: 0,
    });
    const answers = Promise.all(
      ['a', 'b', 'c', 'd', 'e'].map(item => batched('t', alice, item)),
    );
    for (let index = 0; index < 3; index++) {
      await nextTurn();
      answerAll(index);
    }
    await expect(answers).resolves.toEqual([
      'ok:a',
      'ok:b',
      'ok:c',
      'ok:d',
      'ok:e',
    ]);
    expect(batches.map(b => b.items)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('reuses an answer for the same token and item only for the time allowed', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate'] });
    try {
      const { batches, lookup, answerAll } = recordingLookup();
      const batched = createCallerBatches(lookup, {
        maxBatchSize: 100,
        reuseForMs: 10_000,
      });
      const first = batched('t', alice, 'a');
      await nextTurn();
      answerAll(0);
      await expect(first).resolves.toBe('ok:a');
      await expect(batched('t', alice, 'a')).resolves.toBe('ok:a');
      // Another token, even of the same user, asks for itself.
      const otherToken = batched('t2', alice, 'a');
      await nextTurn();
      expect(batches).toHaveLength(2);
      answerAll(1);
      await otherToken;
      jest.advanceTimersByTime(10_001);
      const later = batched('t', alice, 'a');
      await nextTurn();
      expect(batches).toHaveLength(3);
      answerAll(2);
      await expect(later).resolves.toBe('ok:a');
    } finally {
      jest.useRealTimers();
    }
  });

  it("never reuses an answer past the caller's token expiry, nor a failure", async () => {
    const { batches, lookup, answerAll } = recordingLookup();
    const batched = createCallerBatches(lookup, {
      maxBatchSize: 100,
      reuseForMs: 60_000,
    });
    const expiring = { ...alice, expiresAt: new Date(Date.now() - 1) };
    const first = batched('t', expiring, 'a');
    await nextTurn();
    answerAll(0);
    await first;
    const second = batched('t', expiring, 'a');
    await nextTurn();
    expect(batches).toHaveLength(2);
    batches[1].answer.reject(new Error('permission backend down'));
    await expect(second).rejects.toThrow('permission backend down');
    const third = batched('t', alice, 'a');
    await nextTurn();
    expect(batches).toHaveLength(3);
    answerAll(2);
    await expect(third).resolves.toBe('ok:a');
  });
});

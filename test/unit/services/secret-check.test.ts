// The order rules of the one secret check (services/secret-check.ts), without a store: attempts
// on one subject run one at a time in arrival order, the state is read inside the step, and
// nothing is compared once the state says locked.
import { describe, expect, it } from 'vitest';
import { createSecretCheck, SubjectQueues } from '../../../src-main/services/secret-check';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('SubjectQueues', () => {
  it('runs work on one key one at a time, in arrival order, and keys apart side by side', async () => {
    const queues = new SubjectQueues();
    const log: string[] = [];
    const job = (key: string, name: string) =>
      queues.run([key], async () => {
        log.push(`start ${name}`);
        await tick();
        log.push(`end ${name}`);
      });
    await Promise.all([job('a', 'a1'), job('a', 'a2'), job('b', 'b1')]);
    expect(log.indexOf('end a1')).toBeLessThan(log.indexOf('start a2'));
    expect(log.indexOf('start b1')).toBeLessThan(log.indexOf('end a1'));
    expect(queues.size).toBe(0);
  });

  it('takes several keys in sorted order, so overlapping sets never wait in a circle, and releases them on a throw', async () => {
    const queues = new SubjectQueues();
    const done: string[] = [];
    const failing = queues.run(['b', 'a'], async () => {
      await tick();
      throw new Error('wrong code');
    });
    const after = [queues.run(['a', 'b'], async () => void done.push('ab')), queues.run(['b'], async () => void done.push('b'))];
    await expect(failing).rejects.toThrow('wrong code');
    await Promise.all(after);
    expect(done.sort()).toEqual(['ab', 'b']);
    expect(queues.size).toBe(0);
  });
});

describe('createSecretCheck', () => {
  it('reads each attempt’s state after the one before has recorded its failure, and compares nothing past the cap', async () => {
    const slept: number[] = [];
    const { check } = createSecretCheck({ sleep: async (ms) => void slept.push(ms) });
    let failures = 0;
    let compares = 0;
    const cap = 3;
    const attempt = (secret: string) =>
      check({
        subjects: ['login:12345678901'],
        state: async () => {
          await tick();
          return { failures, locked: failures >= cap };
        },
        delayMs: (n) => n * 100,
        refuse: async () => {
          throw new Error('LOGIN_LOCKED');
        },
        compare: async () => {
          compares += 1;
          await tick();
          return secret === 'right' ? true : undefined;
        },
        failed: async () => {
          await tick();
          failures += 1;
          throw new Error(failures >= cap ? 'LOGIN_LOCKED' : 'LOGIN_FAILED');
        },
        succeeded: async () => 'in',
      }).catch((e: Error) => e.message);
    const answers = await Promise.all([...Array.from({ length: 6 }, () => attempt('wrong')), attempt('right')]);
    expect(answers).toEqual(['LOGIN_FAILED', 'LOGIN_FAILED', 'LOGIN_LOCKED', 'LOGIN_LOCKED', 'LOGIN_LOCKED', 'LOGIN_LOCKED', 'LOGIN_LOCKED']);
    expect(compares).toBe(cap);
    expect(slept).toEqual([0, 100, 200]);
  });
});

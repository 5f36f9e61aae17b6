import { describe, expect, it } from 'vitest';
import { PerUserQueue } from './costly-requests.js';

describe('costly requests, one at a time per user', () => {
  it('lets a user’s second costly request start only once the first is done, and nobody else wait for it', async () => {
    // Setup
    const queue = new PerUserQueue();
    const started: string[] = [];
    // Action
    const leaveFirst = await queue.enter('ann');
    started.push('ann 1');
    const second = queue.enter('ann').then((leave) => {
      started.push('ann 2');
      return leave;
    });
    const bob = queue.enter('bob').then((leave) => {
      started.push('bob 1');
      return leave;
    });
    await bob;
    await new Promise((r) => setImmediate(r));
    // Assert: Bob ran at once; Ann's second waits for her first
    expect(started).toEqual(['ann 1', 'bob 1']);
    leaveFirst();
    (await second)();
    expect(started).toEqual(['ann 1', 'bob 1', 'ann 2']);
    // Once everything left, a new request starts at once
    (await queue.enter('ann'))();
  });
});

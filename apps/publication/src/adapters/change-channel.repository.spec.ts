import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { EventEmitter } from 'node:events';
import type { PublicationEnvironment } from '../publication.environment';
import { ChangeChannelRepository } from './change-channel.repository';

/** A Redis subscriber whose SUBSCRIBE answers from a script: 'fail' rejects, 'ok' resolves. */
class ScriptedSubscriber extends EventEmitter {
  readonly calls: string[] = [];
  constructor(private readonly script: Array<'fail' | 'ok'>) {
    super();
  }
  subscribe(channel: string): Promise<number> {
    this.calls.push(channel);
    return this.script.shift() === 'ok' ? Promise.resolve(1) : Promise.reject(new Error('Command timed out'));
  }
  disconnect(): void {}
}

const setUp = (script: Array<'fail' | 'ok'>) => {
  const subscriber = new ScriptedSubscriber(script);
  const redis = { duplicate: () => subscriber, status: 'ready' } as unknown as Redis;
  const channel = new ChangeChannelRepository(redis, { PUBLICATION_CACHE_PREFIX: 'test' } as PublicationEnvironment);
  return { subscriber, channel };
};

/** Lets the promise callbacks of a SUBSCRIBE run. */
const settle = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

describe('ChangeChannelRepository subscription', () => {
  beforeEach(() => {
    jest.useFakeTimers();
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('tries a failed SUBSCRIBE again with growing waits, and reports it until it succeeds', async () => {
    const { subscriber, channel } = setUp(['fail', 'fail', 'ok']);
    subscriber.emit('ready');
    await settle();
    expect(subscriber.calls).toEqual(['test:changes']);
    expect(channel.state()).toEqual({ subscribed: false, failedAttempts: 1, lastError: 'Command timed out' });

    jest.advanceTimersByTime(250);
    await settle();
    expect(subscriber.calls).toHaveLength(2);
    expect(channel.state()).toMatchObject({ subscribed: false, failedAttempts: 2 });

    jest.advanceTimersByTime(499); // the second wait is twice the first
    await settle();
    expect(subscriber.calls).toHaveLength(2);
    jest.advanceTimersByTime(1);
    await settle();
    expect(subscriber.calls).toHaveLength(3);
    expect(channel.state()).toEqual({ subscribed: true, failedAttempts: 0, lastError: undefined });
  });

  it('stops trying at shutdown', async () => {
    const { subscriber, channel } = setUp(['fail', 'ok']);
    subscriber.emit('ready');
    await settle();
    channel.onApplicationShutdown();
    jest.advanceTimersByTime(60_000);
    await settle();
    expect(subscriber.calls).toHaveLength(1);
  });

  it('counts as unsubscribed after the connection closes, and subscribes again when it is back', async () => {
    const { subscriber, channel } = setUp(['ok', 'ok']);
    subscriber.emit('ready');
    await settle();
    expect(channel.state().subscribed).toBe(true);
    subscriber.emit('close');
    expect(channel.state().subscribed).toBe(false);
    subscriber.emit('ready');
    await settle();
    expect(subscriber.calls).toHaveLength(2);
    expect(channel.state().subscribed).toBe(true);
  });
});

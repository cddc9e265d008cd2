import { OnDemandBusyError, OnDemandGate } from './on-demand-gate';

describe('OnDemandGate', () => {
  it('runs one computation at a time, in arrival order', async () => {
    const gate = new OnDemandGate(10);
    const log: string[] = [];
    let running = 0;
    const work = (name: string) => () => {
      running++;
      log.push(`${name}:${running}`);
      running--;
      return name;
    };
    expect(await Promise.all(['a', 'b', 'c'].map((n) => gate.run(work(n))))).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['a:1', 'b:1', 'c:1']);
  });

  it('lets timers and I/O run between two computations (the lake consumer heartbeats meanwhile)', async () => {
    const gate = new OnDemandGate(10);
    const order: string[] = [];
    const first = gate.run(() => order.push('first'));
    const second = gate.run(() => order.push('second'));
    setImmediate(() => order.push('io'));
    await Promise.all([first, second]);
    expect(order).toEqual(['first', 'io', 'second']);
  });

  it('refuses more waiting computations than allowed, and takes them again once the queue drains', async () => {
    const gate = new OnDemandGate(2);
    const runs = [gate.run(() => 1), gate.run(() => 2), gate.run(() => 3)];
    await expect(gate.run(() => 4)).rejects.toBeInstanceOf(OnDemandBusyError);
    expect(gate.waiting).toBe(2);
    expect(await Promise.all(runs)).toEqual([1, 2, 3]);
    expect(await gate.run(() => 5)).toBe(5);
  });

  it('goes on after a computation throws', async () => {
    const gate = new OnDemandGate(2);
    const failed = gate.run(() => {
      throw new Error('boom');
    });
    const next = gate.run(() => 'next');
    await expect(failed).rejects.toThrow('boom');
    expect(await next).toBe('next');
  });
});

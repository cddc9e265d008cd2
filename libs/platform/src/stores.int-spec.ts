import { randomUUID } from 'node:crypto';
import { Schema } from 'mongoose';
import { connectMongo } from './mongo';
import { createRedis, redisReady } from './redis';

describe('stores (real MongoDB protocol server and Redis)', () => {
  it('round-trips a mongoose document and enforces a unique index (FerretDB in CI, MongoDB in production)', async () => {
    const url = process.env.MONGO_URL!.replace(/\/[^/?]*(\?|$)/, `/it_${randomUUID().slice(0, 8)}$1`);
    const connection = await connectMongo(url);
    try {
      const Item = connection.model(
        'Item',
        new Schema({ source: String, recordId: String, n: Number }).index({ source: 1, recordId: 1 }, { unique: true }),
      );
      await Item.init();
      await Item.create({ source: 'population', recordId: 'r1', n: 1 });
      // upsert by the unique key: single-document atomic write, no transaction needed
      await Item.updateOne({ source: 'population', recordId: 'r1' }, { $set: { n: 2 } }, { upsert: true });
      const found = await Item.findOne({ source: 'population', recordId: 'r1' }).lean();
      expect(found?.n).toBe(2);
      await expect(Item.create({ source: 'population', recordId: 'r1', n: 3 })).rejects.toMatchObject({ code: 11000 });
      expect(await Item.countDocuments()).toBe(1);
      // the aggregation subset both servers serve
      const grouped = await Item.aggregate([
        { $match: { source: 'population' } },
        { $group: { _id: '$source', total: { $sum: '$n' } } },
      ]);
      expect(grouped).toEqual([{ _id: 'population', total: 2 }]);
    } finally {
      await connection.dropDatabase().catch(() => undefined);
      await connection.close();
    }
  });

  it('round-trips a value through Redis', async () => {
    const redis = createRedis(process.env.REDIS_URL!);
    try {
      await redisReady(redis);
      const key = `it:${randomUUID()}`;
      await redis.set(key, 'wert', 'PX', 5000);
      expect(await redis.get(key)).toBe('wert');
      await redis.del(key);
      expect(await redis.get(key)).toBeNull();
    } finally {
      redis.disconnect();
    }
  });

  it('fails fast instead of queueing when Redis does not answer', async () => {
    const redis = createRedis('redis://127.0.0.1:1');
    redis.on('error', () => undefined);
    const started = Date.now();
    await expect(redis.get('x')).rejects.toThrow();
    redis.disconnect();
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

import Redis from 'ioredis';
import mongoose from 'mongoose';

/** Drops each database (the URLs name them: isolatedMongoUrl) of a test run. */
export async function dropMongoDatabases(urls: readonly string[]): Promise<void> {
  await Promise.all(
    urls.map(async (url) => {
      const connection = await mongoose.createConnection(url).asPromise();
      await connection.dropDatabase();
      await connection.close();
    }),
  );
}

/** Deletes every Redis key under `prefix:` (a test run's cache prefix). */
export async function deleteRedisKeysUnder(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true });
  await redis.connect();
  try {
    const keys: string[] = [];
    for await (const batch of redis.scanStream({ match: `${prefix}:*`, count: 500 })) keys.push(...(batch as string[]));
    if (keys.length) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

import { kpiPayload } from '@sozialmonitor/testing/kpi-payload';
import { historyEntryOf, markOf } from './value-history';
import {
  afterFailure,
  checkSubscriptionRequest,
  checkWebhookUrl,
  deliveryId,
  retryDelayMs,
  shouldDeliver,
  signBody,
  type Subscription,
  verifySignature,
} from './webhook-subscription';

const sub = (over: Partial<Subscription> = {}): Subscription => ({
  id: 's1',
  url: 'https://example.org/hook',
  indicators: [],
  regions: [],
  threshold: null,
  description: '',
  createdAt: '2026-01-01T00:00:00.000Z',
  createdBy: 'admin',
  ...over,
});
const known = { indicator: (id: string) => id === 'sgb2_rate_pct', region: (c: string) => c === '01056015' };
const check = (body: unknown) => checkSubscriptionRequest(body, known.indicator, known.region);

describe('webhook subscriptions', () => {
  it('accepts http(s) targets only, without credentials or fragments', () => {
    expect(checkWebhookUrl('https://sozialplanung.example/hook')).toBeUndefined();
    expect(checkWebhookUrl('http://127.0.0.1:8080/x?y=1')).toBeUndefined();
    for (const bad of ['ftp://x/y', 'file:///etc/passwd', 'gopher://x', 'javascript:alert(1)', 'data:,x', '/relative', ''])
      expect(checkWebhookUrl(bad)).toBeDefined();
    expect(checkWebhookUrl('https://user:pw@example.org/')).toMatch(/user name or password/);
    expect(checkWebhookUrl('https://example.org/#x')).toMatch(/fragment/);
    expect(checkWebhookUrl(42)).toBeDefined();
  });

  it('names every problem of a request with its field, unknown fields included', () => {
    const { request, problems } = check({
      url: 'ftp://x',
      indicators: ['sgb2_rate_pct', 'nope'],
      regions: '01056015',
      threshold: -1,
      secret: 'short',
      region: ['01056015'],
    });
    expect(request).toBeUndefined();
    expect(problems.map((p) => p.field).sort()).toEqual(['indicators', 'region', 'regions', 'secret', 'threshold', 'url']);
    expect(check([]).problems).toEqual([{ field: '', message: 'the body must be a JSON object' }]);
    expect(check({ url: 'https://x.example/h', regions: null }).problems).toEqual([{ field: 'regions', message: 'must be an array of strings' }]);
  });

  it('reads a valid request with defaults', () => {
    const { request, problems } = check({ url: 'https://x.example/h', indicators: ['sgb2_rate_pct', 'sgb2_rate_pct'], threshold: 0.5 });
    expect(problems).toEqual([]);
    expect(request).toEqual({
      url: 'https://x.example/h',
      indicators: ['sgb2_rate_pct'],
      regions: [],
      threshold: 0.5,
      description: '',
      secret: undefined,
    });
  });

  it('filters by indicator and region and leaves out values published before the subscription', () => {
    const v = kpiPayload({ indicatorId: 'sgb2_rate_pct', computedAt: '2026-02-01T00:00:00.000Z' });
    expect(shouldDeliver(sub(), v, undefined)).toBe(true);
    expect(shouldDeliver(sub({ indicators: ['births_per_1000'] }), v, undefined)).toBe(false);
    expect(shouldDeliver(sub({ regions: ['01056001'] }), v, undefined)).toBe(false);
    expect(shouldDeliver(sub({ indicators: ['sgb2_rate_pct'], regions: ['01056015'] }), v, undefined)).toBe(true);
    expect(shouldDeliver(sub({ createdAt: '2026-03-01T00:00:00.000Z' }), v, undefined)).toBe(false);
  });

  it('with a threshold, delivers changes of at least it against the previous publication, and figures appearing or vanishing', () => {
    const s = sub({ threshold: 0.5 });
    const at = (value: number | null, suppressed = false) =>
      kpiPayload({ value, suppressed, computedAt: '2026-02-01T00:00:00.000Z' });
    const before = (value: number | null, suppressed = false) => markOf(historyEntryOf(at(value, suppressed)), 1);
    expect(shouldDeliver(s, at(10.5), before(10))).toBe(true);
    expect(shouldDeliver(s, at(9.5), before(10))).toBe(true);
    expect(shouldDeliver(s, at(10.3), before(10))).toBe(false);
    expect(shouldDeliver(s, at(10.3 + 0.5), before(10.3))).toBe(true); // 0.8 − 0.3 in binary floats
    expect(shouldDeliver(s, at(10), undefined)).toBe(false); // a first publication is no change
    expect(shouldDeliver(s, at(null, true), before(10))).toBe(true);
    expect(shouldDeliver(s, at(10), before(null, true))).toBe(true);
    expect(shouldDeliver(s, at(null, true), before(null, true))).toBe(false);
    expect(shouldDeliver(s, at(10), before(10, true))).toBe(true); // a suppressed value's number was never seen
  });

  it('signs the exact body with HMAC-SHA256 and verifies it in constant time', () => {
    const body = JSON.stringify(kpiPayload());
    const header = signBody('a-secret-of-enough-length-123', body);
    expect(header).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifySignature('a-secret-of-enough-length-123', body, header)).toBe(true);
    expect(verifySignature('another-secret-of-enough-length', body, header)).toBe(false);
    expect(verifySignature('a-secret-of-enough-length-123', body + ' ', header)).toBe(false);
    expect(verifySignature('a-secret-of-enough-length-123', body, undefined)).toBe(false);
  });

  it('backs off exponentially and dies after the last attempt', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 1000))).toEqual([1000, 2000, 4000, 8000]);
    expect(retryDelayMs(30, 1000)).toBe(3_600_000);
    expect(afterFailure(1, 3, 100, 0)).toEqual({ status: 'pending', nextAttemptAt: 100 });
    expect(afterFailure(2, 3, 100, 0)).toEqual({ status: 'pending', nextAttemptAt: 200 });
    expect(afterFailure(3, 3, 100, 0).status).toBe('dead');
  });

  it('gives one delivery id per subscription and event', () => {
    expect(deliveryId('a', 'e1')).toBe(deliveryId('a', 'e1'));
    expect(deliveryId('a', 'e1', '')).toBe(deliveryId('a', 'e1'));
    // a replay epoch delivers the same event again, once per epoch
    expect(deliveryId('a', 'e1', 'replay-1')).not.toBe(deliveryId('a', 'e1'));
    expect(deliveryId('a', 'e1', 'replay-1')).toBe(deliveryId('a', 'e1', 'replay-1'));
    expect(deliveryId('a', 'e1')).not.toBe(deliveryId('b', 'e1'));
    expect(deliveryId('a', 'e1')).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });
});

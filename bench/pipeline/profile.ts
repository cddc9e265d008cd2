/**
 * A V8 CPU profile (`--cpu-prof`) summed up: self time per function (name, file:line), the heaviest
 * first, and the share per area (our code by top folder, node_modules by package, node internals, GC).
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface ProfileSummary {
  totalMs: number;
  functions: { name: string; where: string; ms: number; share: number }[];
  areas: { area: string; ms: number; share: number }[];
}

/** The area a script URL belongs to: an npm package, a folder of the repository, node itself. */
export function areaOf(url: string): string {
  if (!url) return '(native, GC, idle)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return 'node';
  const ours = /\/(apps\/[^/]+\/src\/[^/]+|libs\/[^/]+)\//.exec(url);
  return ours ? ours[1] : url.replace(/^.*\//, '');
}

export function summarizeProfile(profile: CpuProfile, top = 15): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  if (profile.samples && profile.timeDeltas) {
    profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas![i] ?? 0)));
  } else {
    const perHit = (profile.endTime - profile.startTime) / Math.max(1, profile.nodes.reduce((n, x) => n + (x.hitCount ?? 0), 0));
    for (const n of profile.nodes) selfUs.set(n.id, (n.hitCount ?? 0) * perHit);
  }
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const functions = new Map<string, { name: string; where: string; us: number }>();
  const areas = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const name = functionName || '(anonymous)';
    const where = url ? `${url.replace(/^.*?\/(apps|libs|node_modules)\//, '$1/')}:${lineNumber + 1}` : '';
    const key = `${name}@${where}`;
    const f = functions.get(key) ?? { name, where, us: 0 };
    f.us += us;
    functions.set(key, f);
    const area = name === '(garbage collector)' ? '(garbage collector)' : name === '(idle)' ? '(idle)' : areaOf(url);
    areas.set(area, (areas.get(area) ?? 0) + us);
  }
  const share = (us: number) => (total ? us / total : 0);
  return {
    totalMs: total / 1000,
    functions: [...functions.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((f) => ({ name: f.name, where: f.where, ms: f.us / 1000, share: share(f.us) })),
    areas: [...areas.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([area, us]) => ({ area, ms: us / 1000, share: share(us) })),
  };
}

export function summarizeProfileFile(file: string, top = 15): ProfileSummary {
  return summarizeProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, top);
}

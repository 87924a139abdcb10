#!/usr/bin/env node
// Top frames of a V8 CPU profile (.cpuprofile from `node --cpu-prof` or Chromium's Profiler.stop), by self
// time and by total time, for a closing note or a before/after comparison:
//   node scripts/profile-top.mjs FILE.cpuprofile [how many]
import { readFileSync } from 'node:fs';

const [file, many = '15'] = process.argv.slice(2);
if (!file) {
  console.error('usage: node scripts/profile-top.mjs FILE.cpuprofile [N]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const self = new Map();
const deltas = profile.timeDeltas ?? [];
for (const [i, id] of profile.samples.entries()) self.set(id, (self.get(id) ?? 0) + (deltas[i] ?? 0));
const here = `file://${process.cwd()}/`;
const total = [...self.values()].reduce((a, b) => a + b, 0);
const name = (n) => {
  const f = n.callFrame;
  const where = f.url
    ? `${f.url.replace(here, '').replace(/^.*\/node_modules\//, 'node_modules/')}:${f.lineNumber + 1}`
    : '';
  return `${f.functionName || '(anonymous)'} ${where}`.trim();
};
const selfBy = new Map();
const totalBy = new Map();
for (const [id, t] of self) {
  const n = byId.get(id);
  selfBy.set(name(n), (selfBy.get(name(n)) ?? 0) + t);
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const k = name(byId.get(cur));
    if (seen.has(k)) continue;
    seen.add(k);
    totalBy.set(k, (totalBy.get(k) ?? 0) + t);
  }
}
const show = (title, m) => {
  console.log(`${title} (of ${(total / 1000).toFixed(0)} ms sampled)`);
  for (const [k, t] of [...m].sort((a, b) => b[1] - a[1]).slice(0, Number(many))) {
    console.log(
      `  ${((100 * t) / total).toFixed(1).padStart(5)}%  ${(t / 1000).toFixed(0).padStart(6)} ms  ${k}`,
    );
  }
};
show('self time', selfBy);
show('total time', new Map([...totalBy].filter(([k]) => !/^\((root|program|idle)\)/.test(k))));

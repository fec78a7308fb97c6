/**
 * Preloaded into a measured child (`node --import dist/bench/probe.js ...`):
 * on exit it reports the process's own peak RSS and CPU time on stderr, so the
 * figure is exact even if the /proc sampler missed the last milliseconds. It
 * also samples process.memoryUsage() and reports each part's maximum (and the
 * parts at the RSS peak), which says what a peak is made of: V8 heap, or
 * ArrayBuffers (socket reads, chunk buffers) waiting for a GC.
 */
const MiB = 1024 * 1024;
const max: Record<string, number> = {};
let atPeak: Record<string, number> = {};
const sample = () => {
  const m = process.memoryUsage() as unknown as Record<string, number>;
  for (const [k, v] of Object.entries(m)) max[k] = Math.max(max[k] ?? 0, v);
  if (m.rss >= (atPeak.rss ?? 0)) atPeak = m;
};
setInterval(sample, 20).unref();
const mib = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Math.round((v / MiB) * 10) / 10]));
process.on('exit', () => {
  sample();
  const r = process.resourceUsage();
  process.stderr.write(`ZK_BENCH_PROBE ${JSON.stringify({ maxRssKb: r.maxRSS, userUs: r.userCPUTime, systemUs: r.systemCPUTime, memoryMaxMiB: mib(max), memoryAtRssPeakMiB: mib(atPeak) })}\n`);
});
export {};

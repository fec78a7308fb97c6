/**
 * Preloaded into a measured child (`node --import dist/bench/probe.js ...`):
 * on exit it reports the process's own peak RSS and CPU time on stderr, so the
 * figure is exact even if the /proc sampler missed the last milliseconds.
 */
process.on('exit', () => {
  const r = process.resourceUsage();
  process.stderr.write(`ZK_BENCH_PROBE ${JSON.stringify({ maxRssKb: r.maxRSS, userUs: r.userCPUTime, systemUs: r.systemCPUTime })}\n`);
});
export {};

// Preloaded into each measured process: writes its peak resident memory (KB) and the CPU time it
// used (user + system, microseconds) when it exits, as "maxRSS cpu".
const { writeFileSync } = require('node:fs');
process.on('exit', () => {
  const u = process.resourceUsage();
  if (process.env.BENCH_RSS_FILE)
    writeFileSync(process.env.BENCH_RSS_FILE, `${u.maxRSS} ${u.userCPUTime + u.systemCPUTime}`);
});

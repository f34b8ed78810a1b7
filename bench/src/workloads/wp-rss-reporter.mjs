// @ts-check
// Preloaded (`node --import`) into a measured process when /usr/bin/time is missing: at exit, writes
// the process's peak resident set (`process.resourceUsage().maxRSS`, kilobytes), its CPU time (user
// and system, microseconds, every thread) and its minor page faults as JSON to the file
// STRAT_BENCH_RSS_REPORT names.
import { writeFileSync } from 'node:fs';

const report = process.env.STRAT_BENCH_RSS_REPORT;
if (report !== undefined && report !== '') {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(
      report,
      JSON.stringify({
        maxRSS: usage.maxRSS,
        cpuMicros: usage.userCPUTime + usage.systemCPUTime,
        minorFaults: usage.minorPageFault,
      }),
    );
  });
}

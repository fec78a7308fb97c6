/**
 * `npm run bench [-- --quick] [-- --only throughput,memory,api,legacy,idle]`:
 * zk against the sandbox on loopback. Every figure is printed beside a
 * reference measured in the same run, as a ratio, because only ratios are
 * stable on shared machines. Results: a table on stdout and a JSON file in
 * bench-results/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './proc.js';
import { benchThroughput } from './sections/throughput.js';
import { benchMemory } from './sections/memory.js';
import { benchApi } from './sections/api.js';
import { benchIdle } from './sections/idle.js';
import { benchLegacy } from './sections/legacy.js';
import { benchCeiling } from './sections/ceiling.js';
import { type Row, type SectionResult, formatTable, presets } from './common.js';

const SECTIONS = ['throughput', 'memory', 'api', 'legacy', 'idle', 'ceiling'] as const;
type SectionName = (typeof SECTIONS)[number];

function parseArgs(argv: string[]): { quick: boolean; only: Set<SectionName>; out?: string } {
  let quick = false;
  let only = new Set<SectionName>(SECTIONS);
  let out: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') quick = true;
    else if (a === '--only') only = new Set(argv[++i].split(',').map((s) => s.trim()) as SectionName[]);
    else if (a === '--out') out = argv[++i];
    else if (a === '--help' || a === '-h') {
      process.stdout.write('usage: npm run bench -- [--quick] [--only throughput,memory,api,legacy,idle,ceiling] [--out file.json]\n');
      process.exit(0);
    } else {
      process.stderr.write(`bench: unknown argument ${a}\n`);
      process.exit(2);
    }
  }
  for (const s of only) {
    if (SECTIONS.includes(s)) continue;
    process.stderr.write(`bench: --only ${JSON.stringify(s)} is not a section; use a comma-separated list of ${SECTIONS.join(', ')}\n`);
    process.exit(2);
  }
  return { quick, only, out };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const p = presets(args.quick);
  const started = new Date();
  const t0 = performance.now();
  const machine = {
    nproc: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
  process.stderr.write(`bench: ${args.quick ? 'quick' : 'full'} preset on ${machine.nproc} CPU, ${machine.memoryGb} GB, node ${machine.node}\n`);
  const results: SectionResult[] = [];
  const runners: Record<SectionName, () => Promise<SectionResult>> = {
    throughput: () => benchThroughput(p),
    memory: () => benchMemory(p),
    api: () => benchApi(p),
    legacy: () => benchLegacy(p),
    idle: () => benchIdle(p),
    ceiling: () => benchCeiling(p),
  };
  for (const name of SECTIONS) {
    if (!args.only.has(name)) continue;
    const s0 = performance.now();
    process.stderr.write(`bench: ${name}...\n`);
    try {
      const r = await runners[name]();
      r.seconds = Math.round((performance.now() - s0) / 100) / 10;
      results.push(r);
    } catch (err) {
      process.stderr.write(`bench: ${name} failed: ${err instanceof Error ? err.stack : String(err)}\n`);
      results.push({ section: name, seconds: Math.round((performance.now() - s0) / 100) / 10, rows: [{ figure: `${name}: not measured`, value: '—', reference: '—', ratio: '—', target: '—', pass: null }], details: { error: String(err) } });
    }
    (globalThis as { gc?: () => void }).gc?.();
  }
  const rows: Row[] = results.flatMap((r) => r.rows);
  const totalSeconds = Math.round((performance.now() - t0) / 100) / 10;
  process.stdout.write(`\nzk benchmark (${args.quick ? '--quick' : 'full'}), ${started.toISOString()}, ${machine.nproc} CPU / ${machine.memoryGb} GB / node ${machine.node}, ${totalSeconds} s\n\n`);
  process.stdout.write(formatTable(rows) + '\n');
  const dir = join(ROOT, 'bench-results');
  mkdirSync(dir, { recursive: true });
  const file = args.out ?? join(dir, `bench-${args.quick ? 'quick' : 'full'}-${started.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ preset: args.quick ? 'quick' : 'full', started: started.toISOString(), totalSeconds, machine, presets: p, sections: results }, null, 2) + '\n');
  process.stdout.write(`\nJSON: ${file}\n`);
  const failed = rows.filter((r) => r.pass === false).length;
  if (failed > 0) process.stdout.write(`${failed} target(s) missed\n`);
}

main().catch((err) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});

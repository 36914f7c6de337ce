// Preloaded (`node --import`) into a benchmarked process: samples process.memoryUsage() every 100 ms and, at exit,
// writes the maxima (bytes) as JSON to DOMEN_BENCH_MEMORY_FILE. Shows where peak RSS goes: the V8 heap, or
// memory outside it (external, ArrayBuffers: stream buffers).
import { writeFileSync } from 'node:fs';

const file = process.env.DOMEN_BENCH_MEMORY_FILE;
if (file) {
  const max = { rss: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
  const sample = () => {
    const m = process.memoryUsage();
    for (const k of Object.keys(max)) max[k] = Math.max(max[k], m[k]);
  };
  setInterval(sample, 100).unref();
  process.on('exit', () => { sample(); writeFileSync(file, JSON.stringify(max)); });
}

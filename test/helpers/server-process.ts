// The tests start the server the same way the benchmarks do.
export * from '../../scripts/lib/server-process.js';

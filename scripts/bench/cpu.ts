/**
 * CPU time used by the processes of a benchmark, from /proc (Linux). Tiles per second move with
 * whatever else shares the two cores; CPU milliseconds per tile, split between the server, the
 * PostgreSQL backends and the benchmark's own client, say where the time goes and move far less.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux the project runs on

/** User + system CPU seconds of a process (all its threads) so far; 0 once it is gone. */
export function processCpu(pid: number): number {
  try {
    // Fields after the command name, which is in parentheses and may hold spaces.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND; // utime, stime
  } catch {
    return 0;
  }
}

/** CPU seconds of every PostgreSQL backend connected to the database (its process title names it). */
export function postgresCpu(database: string): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let title: string;
    try {
      title = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    // "postgres: [<cluster name>: ]<user> <database> <client> <state>"
    const m = /^postgres: (?:\S+: )?\S+ (\S+) /.exec(title);
    if (m && m[1] === database) total += processCpu(Number(entry));
  }
  return total;
}

/** This process's own CPU seconds. */
export function ownCpu(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

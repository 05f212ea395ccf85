#!/usr/bin/env python3
"""Per-thread CPU of the recsys server and load-client JVMs over time (Linux only).

  bench/thread-cpu.py record OUT.jsonl [PERIOD_S]    # until killed (each line is written as taken); beside a bench script
  bench/thread-cpu.py show OUT.jsonl AT [BEFORE_S] [AFTER_S]
  bench/thread-cpu.py snapshot PID                   # one process's totals so far, per thread group (bench/cpu-per-call.sh)

`record` finds every running JVM whose command line names recsys-server*.jar (role "server") or
runs recsys-client.jar's `load` command (role "load"), and every PERIOD_S (default 0.25) appends one
JSON line: the wall-clock time and, per role and thread group (thread names as the kernel keeps
them, at most 15 characters, with their ending numbers removed: "C2 CompilerThre", "grpc-worker",
"version-loader"), the milliseconds the group spent on a CPU and waiting runnable for one (the
kernel's /proc/PID/task/TID/schedstat) during the period.

`snapshot` prints, as JSON, each thread group of process PID with its threads' nanoseconds on a CPU,
nanoseconds waiting runnable, and timeslices since they started (two snapshots make a difference).

`show` prints those periods from BEFORE_S (default 1.5) before to AFTER_S (default 4) after AT, an
ISO-8601 time such as a server log's "loading movielens version 2" line: which threads took the
cores around a promotion. Used for docs/benchmarks.md, section 4.
"""
import datetime
import json
import os
import re
import sys
import time


def jvms():
    found = {}
    for pid in filter(str.isdigit, os.listdir('/proc')):
        try:
            args = open(f'/proc/{pid}/cmdline', 'rb').read().decode(errors='replace').split('\0')
        except OSError:
            continue
        if any(re.search(r'recsys-server[^/]*\.jar$', a) for a in args):
            found[pid] = 'server'
        elif any(a.endswith('recsys-client.jar') for a in args) and 'load' in args:
            found[pid] = 'load'
    return found


def sample(processes):
    threads = {}
    for pid, role in processes.items():
        try:
            tids = os.listdir(f'/proc/{pid}/task')
        except OSError:
            continue
        for tid in tids:
            try:
                name = open(f'/proc/{pid}/task/{tid}/comm').read().strip()
                on_cpu, waiting, slices = map(int, open(f'/proc/{pid}/task/{tid}/schedstat').read().split())
            except (OSError, ValueError):
                continue  # the thread ended between the listing and the read
            threads[(pid, tid)] = (role + ':' + re.sub(r'([-_ #]?\d+)+$', '', name), on_cpu, waiting, slices)
    return threads


def snapshot(pid):
    groups = {}
    for group, on_cpu, waiting, slices in sample({pid: 'p'}).values():
        g = groups.setdefault(group.split(':', 1)[1], [0, 0, 0])
        g[0] += on_cpu
        g[1] += waiting
        g[2] += slices
    print(json.dumps(groups))


def record(out, period):
    before = {}
    with open(out, 'w') as f:
        while True:
            time.sleep(period)
            now = sample(jvms())
            groups = {}
            for key, (group, on_cpu, waiting, _) in now.items():
                if key in before:  # a thread's first sample has no period behind it
                    g = groups.setdefault(group, [0.0, 0.0])
                    g[0] += (on_cpu - before[key][1]) / 1e6
                    g[1] += (waiting - before[key][2]) / 1e6
            f.write(json.dumps({'wall': round(time.time(), 3),
                                'ms': {k: [round(v[0], 1), round(v[1], 1)] for k, v in groups.items() if max(v) >= 0.5}}) + '\n')
            f.flush()
            before = now


def show(path, at, before_s, after_s):
    origin = datetime.datetime.fromisoformat(at.replace('Z', '+00:00')).timestamp()
    print('   t (s) | role: on-CPU ms in the period, and the busiest thread groups as on-CPU/waiting ms')
    for line in open(path):
        row = json.loads(line)
        t = row['wall'] - origin
        if not -before_s <= t <= after_s:
            continue
        parts = []
        for role in ('server', 'load'):
            groups = {k.split(':', 1)[1]: v for k, v in row['ms'].items() if k.startswith(role + ':')}
            busiest = sorted(groups.items(), key=lambda kv: -kv[1][0])[:4]
            parts.append(f"{role} {sum(v[0] for v in groups.values()):4.0f}: "
                         + ', '.join(f'{name} {v[0]:.0f}/{v[1]:.0f}' for name, v in busiest))
        print(f'{t:8.2f} | ' + ' | '.join(parts))


if __name__ == '__main__':
    if len(sys.argv) >= 3 and sys.argv[1] == 'record':
        try:
            record(sys.argv[2], float(sys.argv[3]) if len(sys.argv) > 3 else 0.25)
        except KeyboardInterrupt:
            pass
    elif len(sys.argv) == 3 and sys.argv[1] == 'snapshot':
        snapshot(sys.argv[2])
    elif len(sys.argv) >= 4 and sys.argv[1] == 'show':
        show(sys.argv[2], sys.argv[3], float(sys.argv[4]) if len(sys.argv) > 4 else 1.5,
             float(sys.argv[5]) if len(sys.argv) > 5 else 4.0)
    else:
        sys.exit(__doc__)

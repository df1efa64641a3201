#!/usr/bin/env python3
"""Times pairs of commands side by side: each round runs every pair's two commands one right after
the other (which goes first alternates by round), so both sides of a pair see the same machine, even
one whose load changes during the run. hyperfine times all runs of one command, then all of the next.

  side_by_side.py RUNS WARMUP OUT.json NAME_A CMD_A NAME_B CMD_B [NAME_A CMD_A NAME_B CMD_B ...]

CMD is a shell command (stdin, stdout and stderr are /dev/null). Per command: wall time (median, min,
max) and CPU time (user + system of the command and its children, median), in ms. Per pair: the
ratio of the medians, and the median of each round's own ratio (a, b run back to back). WARMUP
untimed rounds first. A command that fails is reported as failed (exit code), not timed.
"""
import json
import resource
import statistics
import subprocess
import sys
import time


def run(cmd):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    rc = subprocess.run(cmd, shell=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL).returncode
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return rc, wall * 1000, cpu * 1000


def main():
    runs, warmup, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    words = sys.argv[4:]
    if len(words) % 4:
        sys.exit("side_by_side.py: give pairs as NAME_A CMD_A NAME_B CMD_B")
    pairs = [((words[i], words[i + 1]), (words[i + 2], words[i + 3])) for i in range(0, len(words), 4)]
    wall, cpu, ratios, failed = {}, {}, {}, {}
    for rnd in range(warmup + runs):
        for a, b in pairs:
            order = (a, b) if rnd % 2 == 0 else (b, a)
            took = {}
            for name, cmd in order:
                rc, w, c = run(cmd)
                if rc != 0:
                    failed[name] = rc
                took[name] = w
                if rnd >= warmup:
                    wall.setdefault(name, []).append(w)
                    cpu.setdefault(name, []).append(c)
            if rnd >= warmup:
                ratios.setdefault(a[0] + "|" + b[0], []).append(took[a[0]] / took[b[0]])
    if runs == 0:  # a warm-up only: nothing timed
        with open(out, "w") as f:
            json.dump({"runs": 0, "warmup": warmup, "commands": {}, "pairs": []}, f)
        return
    commands = {}
    for name in wall:
        commands[name] = {"median": statistics.median(wall[name]), "min": min(wall[name]), "max": max(wall[name]),
                          "cpu": statistics.median(cpu[name]), "runs": len(wall[name]), "failed": failed.get(name)}
    result = {"runs": runs, "warmup": warmup, "commands": commands, "pairs": []}
    for a, b in pairs:
        result["pairs"].append({"a": a[0], "b": b[0],
                                "ratio_of_medians": commands[a[0]]["median"] / commands[b[0]]["median"],
                                "median_of_ratios": statistics.median(ratios[a[0] + "|" + b[0]])})
    with open(out, "w") as f:
        json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()

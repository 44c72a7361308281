#!/usr/bin/env python3
"""Launch to first frame, memory and idle CPU of terminal programs, measured the way a person sees them: in tmux.

For each program: open it in a fresh tmux window of the given size, poll the pane until a marker text shows (the
first frame with the content that matters), note the time; then leave it idle and read its resident memory and
the CPU ticks it used. Runs are interleaved so that machine noise hits every program alike; medians are reported.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")


def tmux(*args, check=True):
    return subprocess.run(["tmux", *args], check=check, capture_output=True, text=True).stdout


def cpu_ticks(pid):
    """utime + stime of the whole process (all threads), in clock ticks."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def measure(session, name, command, marker, idle, timeout=10.0):
    window = f"{session}:{name}"
    start = time.perf_counter()
    tmux("new-window", "-d", "-t", session, "-n", name, command)
    first = None
    while time.perf_counter() - start < timeout:
        screen = tmux("capture-pane", "-p", "-t", window, check=False)
        if marker in screen:
            first = time.perf_counter() - start
            break
        time.sleep(0.001)
    pid = int(tmux("display", "-p", "-t", window, "#{pane_pid}").strip() or 0)
    result = {"first_frame_ms": None if first is None else first * 1000.0}
    if first is not None and pid:
        time.sleep(0.5)  # let start-up work finish before idling is measured
        before = cpu_ticks(pid)
        time.sleep(idle)
        result["idle_cpu_ticks"] = cpu_ticks(pid) - before
        result["rss_mib"] = rss_kib(pid) / 1024.0
    tmux("kill-window", "-t", window, check=False)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--idle", type=float, default=5.0, help="seconds of idle to measure CPU over")
    parser.add_argument("--size", default="160x48")
    parser.add_argument("--json", action="store_true", help="print the raw figures as JSON too")
    parser.add_argument(
        "program",
        nargs="+",
        help="NAME=MARKER=COMMAND: a name, the text that shows the first frame is there, the command line",
    )
    args = parser.parse_args()
    width, height = args.size.split("x")
    programs = []
    for spec in args.program:
        name, marker, command = spec.split("=", 2)
        programs.append((name, marker, command))

    session = f"startup-bench-{os.getpid()}"
    tmux("new-session", "-d", "-s", session, "-x", width, "-y", height, "-n", "home")
    tmux("set-option", "-t", session, "remain-on-exit", "off")
    figures = {name: [] for name, _, _ in programs}
    try:
        for run in range(args.runs):
            for name, marker, command in programs:
                figures[name].append(measure(session, f"{name}{run}", command, marker, args.idle))
    finally:
        tmux("kill-session", "-t", session, check=False)

    summary = {}
    print(f"{'program':<12} {'first frame':>12} {'RSS':>9} {'idle CPU':>14}   ({args.runs} runs, medians, {args.size})")
    for name, runs in figures.items():
        frames = [r["first_frame_ms"] for r in runs if r["first_frame_ms"] is not None]
        if not frames:
            print(f"{name:<12} {'never':>12}")
            continue
        rss = statistics.median(r["rss_mib"] for r in runs if "rss_mib" in r)
        ticks = max(r["idle_cpu_ticks"] for r in runs if "idle_cpu_ticks" in r)
        summary[name] = {"first_frame_ms": statistics.median(frames), "rss_mib": rss, "idle_cpu_ticks_max": ticks}
        print(
            f"{name:<12} {statistics.median(frames):>9.1f} ms {rss:>6.1f} MiB {ticks:>4} ticks/{args.idle:.0f} s"
        )
    if "floor" in summary:
        floor = summary["floor"]["first_frame_ms"]
        print(f"\nabove the floor ({floor:.1f} ms):")
        for name, s in summary.items():
            if name != "floor":
                s["above_floor_ms"] = s["first_frame_ms"] - floor
                print(f"  {name:<10} {s['above_floor_ms']:>7.1f} ms")
        names = [n for n in summary if n not in ("floor",)]
        if "zorgtui" in summary and "slumber" in summary:
            z, s = summary["zorgtui"], summary["slumber"]
            ratio = z["above_floor_ms"] / s["above_floor_ms"] if s["above_floor_ms"] > 0 else float("nan")
            print(f"\nzorgtui / slumber, time above the floor: {ratio:.2f}x (aim: at most 0.75x)")
            print(f"zorgtui / slumber, launch to first frame: {z['first_frame_ms'] / s['first_frame_ms']:.2f}x")
            print(f"zorgtui / slumber, RSS: {z['rss_mib'] / s['rss_mib']:.2f}x (aim: at most 1x)")
            print(f"zorgtui idle CPU: {z['idle_cpu_ticks_max']} ticks in {args.idle:.0f} s (aim: 0)")
        del names
    if args.json:
        print(json.dumps({"runs": figures, "summary": summary}, indent=2))


if __name__ == "__main__":
    sys.exit(main())

"""Start-up time of the `xray-yolo` command: `xray-yolo --help` and `xray-yolo train --help` against a bare Python
start (`python -c pass`) and against importing every chapter the verbs use (what `--help` cost when `cli` imported
them at start).

Like with like: each contender runs the same number of times (`--rounds`, default 15), in turns with the order
rotated every round, so that a change in the machine's load hits them alike. Reported: median and spread (min-max)
in seconds, and each median's ratio to the bare Python start.
Usage: python bench/cli_startup.py [--rounds 15]"""
import argparse, statistics, subprocess, sys, time
from pathlib import Path

BIN = Path(sys.executable).parent
CHAPTERS = 'xray_yolo.synth, xray_yolo.data, xray_yolo.evaluate, xray_yolo.train, xray_yolo.explore, xray_yolo.demo'
CONTENDERS = {'python -c pass': [sys.executable, '-c', 'pass'],
              'xray-yolo --help': [str(BIN/'xray-yolo'), '--help'],
              'xray-yolo train --help': [str(BIN/'xray-yolo'), 'train', '--help'],
              'import every chapter (the old start)': [sys.executable, '-c', f'import {CHAPTERS}']}

def run(cmd):
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t

def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('--rounds', type=int, default=15)
    a = ap.parse_args()
    names = list(CONTENDERS)
    times = {n: [] for n in names}
    for n in names: run(CONTENDERS[n])  # warm the file cache once each
    for r in range(a.rounds):
        for n in names[r % len(names):] + names[:r % len(names)]: times[n].append(run(CONTENDERS[n]))
    ref = statistics.median(times[names[0]])
    print(f'{a.rounds} rounds, interleaved; median (min-max) seconds; ratio to a bare Python start')
    for n in names:
        t = times[n]
        print(f'{n:40s} {statistics.median(t):6.3f} ({min(t):.3f}-{max(t):.3f})  {statistics.median(t)/ref:5.2f}x')

if __name__ == '__main__': main()

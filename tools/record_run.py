"""Record a finished run's headline figures for the README and the docs: copies the run's summary (`demo.json`
written by `xray-yolo demo`, or `eval/metrics.json` of any run) into `docs/recorded/NAME.json` with where and how
it ran (date, git commit, CPU count, GPU, package versions; the load average during the run with --set). The README's figures
are printed from these files by a cell of nbs/index.ipynb, never typed into prose.
Usage: python tools/record_run.py RUN_DIR [--name NAME] [--set KEY=VALUE ...]"""
import argparse, json, os, platform, subprocess, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

def machine()->dict:
    "Where the run was recorded: CPU count, GPU (if any), load average, versions, commit."
    import torch, ultralytics
    commit = subprocess.run(['git', 'rev-parse', '--short', 'HEAD'], cwd=ROOT, capture_output=True, text=True).stdout
    gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else None
    return dict(cpus=os.cpu_count(), gpu=gpu,
                python=platform.python_version(), torch=torch.__version__, ultralytics=ultralytics.__version__,
                recorded_at_commit=commit.strip(), recorded=time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime()))

def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('run', help='run folder (holds demo.json or eval/metrics.json)')
    ap.add_argument('--name', help='record name (default: the run folder name)')
    ap.add_argument('--set', nargs='*', default=[], metavar='KEY=VALUE',
                    help='facts about the run that its summary lacks, e.g. load_start=6.6 (numbers kept as numbers)')
    a = ap.parse_args()
    run = Path(a.run)
    src = next((p for p in (run/'demo.json', run/'eval'/'metrics.json') if p.is_file()), None)
    if src is None: sys.exit(f'{run}: no demo.json or eval/metrics.json: is this a finished run folder?')
    rec = dict(run=run.name, summary=json.loads(src.read_text()), machine=machine())
    for kv in a.set:
        k, _, v = kv.partition('=')
        try: rec['machine'][k] = float(v)
        except ValueError: rec['machine'][k] = v
    for k in ('run', 'data', 'report'): rec['summary'].pop(k, None)  # local paths say nothing to a reader
    out = ROOT/'docs'/'recorded'/f'{a.name or run.name}.json'
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix('.tmp')
    tmp.write_text(json.dumps(rec, indent=1) + '\n')
    tmp.replace(out)
    print(f'wrote {out.relative_to(ROOT)}')

if __name__ == '__main__': main()

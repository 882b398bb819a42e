"""Run the notebooks as the test suite (nbdev's `test_nb`, in parallel) plus the project checks, and print
`N passed, N failed`. Usage: python tools/test_nbs.py [--flags "slow cuda"] [notebooks...]"""
import argparse, os, shutil, subprocess, sys, tempfile, time
from pathlib import Path
from fastcore.parallel import parallel
from nbdev.config import get_config
from nbdev.test import test_nb

ROOT = Path(__file__).resolve().parents[1]

def checks():
    "Project checks run beside the notebooks: (name, command) pairs."
    py = sys.executable
    return [('package and notebooks in sync (nbdev-export/nbdev-clean leave no diff)', [py, 'tools/check_sync.py']),
            ('README.md generated from nbs/index.ipynb', [py, 'tools/readme.py', '--check']),
            ('notebooks committed with outputs; every export has a docstring and docments', [py, 'tools/docs_checks.py']),
            ('docs site builds offline (nbdev processors + Sphinx/myst-nb, no warnings)', [py, 'tools/docs_build.py', '--strict']),
            ('docs site in headless Chromium: no console errors, links, images, API entries, search',
             [py, 'tools/docs_browser.py']),
            ('make lab in headless Chromium: a chapter runs its first cells, no error, no request leaves localhost',
             [py, 'tools/lab_browser.py']),
            ('GitHub workflows pass actionlint (which catches a planted error)',
             [py, 'tools/check_workflows.py', '--actionlint']),
            ('workflow run: commands name Makefile targets or repository files (a planted bad one is caught)',
             [py, 'tools/check_workflows.py', '--commands']),
            ('house style: lines <= 120, one statement per line, one export per cell with its test after it '
             '(notebooks not yet rewritten may not exceed tools/style_baseline.json)', [py, 'tools/check_style.py'])]

def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('nbs', nargs='*', help='notebooks to test (default: all in nbs/ not starting with _)')
    ap.add_argument('--flags', default='', help='test flags to run, e.g. "slow" or "slow cuda"')
    ap.add_argument('--no-checks', action='store_true', help='skip the sync/README checks')
    ap.add_argument('--save', action='store_true', help='write the outputs back into each notebook that passes (`make execute`)')
    ap.add_argument('--n_workers', type=int, default=min(os.cpu_count() or 1, 2))
    a = ap.parse_args()
    cfg = get_config(ROOT/'pyproject.toml')
    nbs = [Path(p).resolve() for p in a.nbs] or sorted(p for p in (ROOT/'nbs').rglob('*.ipynb')
           if not any(q.startswith(('_','.')) for q in p.relative_to(ROOT/'nbs').parts))
    skip = cfg.tst_flags.split() if isinstance(cfg.tst_flags, str) else list(cfg.tst_flags)
    force = a.flags.split()
    os.environ.setdefault('FIFTYONE_DO_NOT_TRACK', 'true')
    os.environ.setdefault('YOLO_OFFLINE', 'true')
    os.environ.setdefault('MPLBACKEND', 'Agg')
    # The chapters' tests write their scratch folders (data sets, runs, exports) under the temporary directory: one
    # folder per run of the suite, removed at the end, so that runs do not pile up in /tmp. Every process the suite
    # starts (notebook workers, the CLI, Chromium) reads it from TMPDIR.
    tmp = tempfile.mkdtemp(prefix='xray-yolo-tests-')
    os.environ['TMPDIR'], tempfile.tempdir = tmp, tmp
    try: main_run(a, cfg, nbs, skip, force)
    finally: shutil.rmtree(tmp, ignore_errors=True)

def main_run(a, cfg, nbs, skip, force):
    "Run the notebooks and the checks; print the tally and exit with its status."
    os.chdir(ROOT/'nbs')
    t0 = time.time()
    res = parallel(test_nb, nbs, skip_flags=skip, force_flags=force, n_workers=a.n_workers, basepath=cfg.config_path,
                   pause=0.5, cell_timeout=1800, save=a.save)
    results = [(f'notebook {f.relative_to(ROOT)} ({t:.0f}s)', ok) for f,(ok,t) in zip(nbs, res)]
    os.chdir(ROOT)
    if not a.no_checks:
        for name,cmd in checks():
            r = subprocess.run(cmd, capture_output=True, text=True)
            if r.returncode: print(r.stdout[-3000:], r.stderr[-3000:], file=sys.stderr)
            results.append((name, r.returncode == 0))
    for name,ok in results: print(f"{'PASS' if ok else 'FAIL'}  {name}")
    npass = sum(ok for _,ok in results)
    print(f'total {time.time()-t0:.0f}s')
    print(f'{npass} passed, {len(results)-npass} failed')
    sys.exit(0 if npass == len(results) else 1)

if __name__ == '__main__': main()

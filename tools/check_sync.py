"""Fail when `nbdev-export` or `nbdev-clean` would change tracked files: the package and notebooks disagree."""
import subprocess, sys
from pathlib import Path
ROOT = Path(__file__).resolve().parents[1]
bin_ = Path(sys.executable).parent

def status(): return subprocess.run(['git','status','--porcelain','--','nbs','xray_yolo'], cwd=ROOT, capture_output=True, text=True).stdout
def diff(): return subprocess.run(['git','diff','--','nbs','xray_yolo'], cwd=ROOT, capture_output=True, text=True).stdout

before_s, before_d = status(), diff()
for cmd in ('nbdev-export','nbdev-clean'): subprocess.run([str(bin_/cmd)], cwd=ROOT, check=True, capture_output=True)
after_s, after_d = status(), diff()
if (before_s, before_d) != (after_s, after_d):
    print('nbdev-export / nbdev-clean changed files: run `make export` and commit.\n' + after_s)
    sys.exit(1)
print('in sync')

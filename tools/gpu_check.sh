#!/usr/bin/env bash
# One-shot GPU check of the training chapter (issue 15), under 8 minutes on one GPU; prints the figures and keeps the
# logs in ${OUT:-gpu_check_out}/. Run from the project folder with the venv installed (`make install`):
#   bash tools/gpu_check.sh
# 1. the GPU and the local checkpoint; 2. AMP with the pretrained start (our offline AMP check, no download, no
# lookup: run under the recording network guard); 3. the `cuda` cells of 05_train (with its quick cells);
# 4. bench/train_throughput.py --device 0 (ours vs Ultralytics' defaults, same start).
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
OUT=${OUT:-gpu_check_out}; mkdir -p "$OUT"
export YOLO_OFFLINE=true FIFTYONE_DO_NOT_TRACK=true MPLBACKEND=Agg
step() { echo; echo "=== $1 ($(date -u +%T))"; }
fail=0

step "1/4 device and weights"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader | tee "$OUT/gpu.txt"
$PY tools/fetch_assets.py | tee "$OUT/assets.txt" || fail=1

step "2/4 AMP with the pretrained start (offline AMP check, network guard)"
timeout 150 $PY - <<'PY' 2>&1 | tee "$OUT/amp.txt" | grep -E '^(AMP|start|attempts|epochs|FAIL)' ; [ "${PIPESTATUS[0]}" = 0 ] || fail=1
import tempfile, time
from pathlib import Path
from xray_yolo.core import net_guard
from xray_yolo.synth import make_synth
from xray_yolo.train import TrainCfg, train
tmp = Path(tempfile.mkdtemp())
ds = make_synth(tmp/'ds', n_patients=40, imgs_per_patient=4, size=320, seed=0, progress=False)
seen = {}
cfg = TrainCfg.from_settings(data=str(ds), imgsz=320, epochs=3, batch=32, lr0=1e-3, device='0', name='amp', runs_dir=str(tmp/'runs'))
t0 = time.time()
with net_guard() as tries:
    run = train(cfg, progress=True, callbacks={'on_train_start': lambda tr: seen.update(amp=bool(tr.amp))})
print(f"start {cfg.model}")
print(f"AMP {seen.get('amp')} (expected True on a working GPU)")
print(f"attempts {tries} (expected [])")
print(f"epochs 3 in {time.time()-t0:.0f}s")
if not seen.get('amp') or tries: print('FAIL'); raise SystemExit(1)
PY

step "3/4 the cuda cells of the training chapter"
timeout 270 $PY tools/test_nbs.py --flags cuda --no-checks nbs/05_train.ipynb 2>&1 | tee "$OUT/cuda_cells.txt" | tail -3
[ "${PIPESTATUS[0]}" = 0 ] || fail=1

step "4/4 bench/train_throughput.py --device 0"
timeout 150 $PY bench/train_throughput.py --device 0 --epochs 3 --rounds 2 2>&1 | tee "$OUT/throughput.txt" | grep -E '^(device|xray-yolo|ultralytics|ratio|start)'
[ "${PIPESTATUS[0]}" = 0 ] || fail=1

step "done: $([ $fail = 0 ] && echo all passed || echo SOME STEP FAILED), logs in $OUT/"
exit $fail

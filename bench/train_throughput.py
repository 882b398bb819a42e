"""Training throughput: images/s of xray-yolo's `train` (its defaults: named optimizer, X-ray augmentation, loader
workers and image cache sized to the device, all CPU cores) against plain Ultralytics training with Ultralytics'
defaults, on the same data, model, image size, batch and device, in one process. Prints the ratio (ours / plain).

Only the training part of each epoch is timed (on_train_epoch_start -> on_train_epoch_end), the first epoch of each
run being a warm-up, so validation and set-up do not blur the comparison. The two trainings alternate for `--rounds`
rounds and the median epoch of each side is compared, so a change in the machine's load hits both sides alike.
Targets: on a CPU our overhead stays under 3% (ratio >= 0.97); on a GPU our defaults beat Ultralytics' by 1.5x.
Both sides start from the same weights ([train] model: the fetched COCO-pretrained checkpoint, head swapped).
Usage: python bench/train_throughput.py [--epochs 3] [--rounds 2] [--imgsz 320] [--batch 16] [--device auto] [--model M]
"""
import argparse, os, tempfile, time
from pathlib import Path
import numpy as np
from xray_yolo.core import pick_device
from xray_yolo.synth import make_synth
from xray_yolo.train import TrainCfg, start_model, train

def timer(secs):
    "Callbacks that append the training seconds of each epoch but the first (warm-up) to `secs`."
    t = {}
    def start(tr): t['s'] = time.perf_counter()
    def end(tr):
        if tr.epoch > 0: secs.append(time.perf_counter() - t['s'])
    return {'on_train_epoch_start': start, 'on_train_epoch_end': end}

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--epochs', type=int, default=3); ap.add_argument('--rounds', type=int, default=2)
    ap.add_argument('--imgsz', type=int, default=320); ap.add_argument('--batch', type=int, default=16)
    ap.add_argument('--device', default='auto'); ap.add_argument('--patients', type=int, default=30)
    ap.add_argument('--model', default=None, help='start: checkpoint or YAML (default: settings.ini [train] model)')
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    ds = make_synth(tmp/'ds', n_patients=a.patients, imgs_per_patient=4, size=a.imgsz, progress=False)
    n = len(list((ds/'images'/'train').glob('*.png')))
    dev = pick_device(a.device)
    common = dict(epochs=a.epochs, imgsz=a.imgsz, batch=a.batch, device=dev)
    ours, plain, amp = [], [], []
    for r in range(a.rounds):
        cfg = TrainCfg.from_settings(data=str(ds), name=f'ours{r}', runs_dir=str(tmp/'runs'), lr0=1e-3, model=a.model, **common)
        train(cfg, progress=False, callbacks={**timer(ours), 'on_train_start': lambda tr: amp.append(bool(tr.amp))})
        y = start_model(cfg, verbose=False)[0]  # the same start (weights and head) for Ultralytics' own defaults
        for ev, fn in timer(plain).items(): y.add_callback(ev, fn)
        y.train(data=str(ds/'data.yaml'), project=str(tmp/'runs'), name=f'plain{r}', exist_ok=True, plots=False, **common)
    ips = lambda s: n/np.median(s)
    print(f'device {dev}, {os.cpu_count()} cores, {n} training images at {a.imgsz}px, batch {a.batch}, '
          f'{a.rounds} rounds of {a.epochs} epochs each (first epoch of each run is warm-up)')
    print(f'xray-yolo train   : {ips(ours):7.1f} img/s  (epochs {", ".join(f"{n/s:.1f}" for s in ours)})')
    print(f'ultralytics plain : {ips(plain):7.1f} img/s  (epochs {", ".join(f"{n/s:.1f}" for s in plain)})')
    print(f'ratio ours/plain  : {ips(ours)/ips(plain):.2f}x (CPU target >= 0.97, GPU target >= 1.5)')
    print(f'start: {cfg.model}; mixed precision (AMP) in our runs: {amp}')

if __name__ == '__main__': main()

"""Training throughput: images/s of xray-yolo's `train` against plain Ultralytics training with its defaults,
same data, model, image size, batch and device, in one process. Prints the ratio (ours / Ultralytics).

Only the training part of each epoch is timed (on_train_epoch_start -> on_train_epoch_end), after a warm-up
epoch, so validation and set-up do not blur the comparison. Usage:
    python bench/train_throughput.py [--epochs 3] [--imgsz 320] [--batch 16] [--device auto]
"""
import argparse, tempfile, time
from pathlib import Path
import numpy as np
from xray_yolo.core import load_yolo, pick_device
from xray_yolo.synth import make_synth
from xray_yolo.train import TrainCfg, train

def timer():
    "Callbacks that record the training seconds of each epoch."
    t, secs = {}, []
    def start(tr): t['s'] = time.perf_counter()
    def end(tr): secs.append(time.perf_counter() - t['s'])
    return {'on_train_epoch_start': start, 'on_train_epoch_end': end}, secs

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--epochs', type=int, default=3); ap.add_argument('--imgsz', type=int, default=320)
    ap.add_argument('--batch', type=int, default=16); ap.add_argument('--device', default='auto')
    ap.add_argument('--patients', type=int, default=30)
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    ds = make_synth(tmp/'ds', n_patients=a.patients, imgs_per_patient=4, size=a.imgsz, progress=False)
    n = len(list((ds/'images'/'train').glob('*.png')))
    dev = pick_device(a.device)
    common = dict(epochs=a.epochs, imgsz=a.imgsz, batch=a.batch, device=dev)

    cbs, ours = timer()
    train(TrainCfg.from_settings(data=str(ds), name='ours', runs_dir=str(tmp/'runs'), lr0=1e-3, **common),
          progress=False, callbacks=cbs)

    cbs, plain = timer()
    y = load_yolo('yolo11n.yaml', verbose=False)
    for ev, fn in cbs.items(): y.add_callback(ev, fn)
    y.train(data=str(ds/'data.yaml'), project=str(tmp/'runs'), name='plain', exist_ok=True, plots=False, **common)

    ips = lambda s: n/np.median(s[1:] if len(s) > 1 else s)
    print(f'device {dev}, {n} training images at {a.imgsz}px, batch {a.batch}, {a.epochs} epochs (first one is warm-up)')
    print(f'xray-yolo train   : {ips(ours):7.1f} img/s')
    print(f'ultralytics plain : {ips(plain):7.1f} img/s')
    print(f'ratio ours/plain  : {ips(ours)/ips(plain):.2f}x')

if __name__ == '__main__': main()

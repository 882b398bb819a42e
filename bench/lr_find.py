"""The demo's learning rate, measured: `train.lr_find` (the learning-rate range test) on the demo's data and settings
([demo]: pretrained start, 224 px, batch 8, AdamW), one optimizer step per batch at rates from 1e-5 to 1e-1.
Writes the loss per step and the suggestions (steepest descent, a tenth of the minimum) to --out as JSON, with the
machine's load average. Usage: python bench/lr_find.py [--steps 40] [--out bench/results/lr_find.json]
"""
import argparse, json, os, platform, tempfile, time
from pathlib import Path
from xray_yolo.core import atomic_write
from xray_yolo.synth import make_synth
from xray_yolo.train import TrainCfg, lr_find

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--steps', type=int, default=40); ap.add_argument('--patients', type=int, default=120)
    ap.add_argument('--out', default='bench/results/lr_find.json')
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    ds = make_synth(tmp/'ds', n_patients=a.patients, progress=False)
    cfg = TrainCfg.from_settings('demo', data=str(ds), runs_dir=str(tmp/'runs'))
    load0, t0 = os.getloadavg(), time.perf_counter()
    df = lr_find(cfg, steps=a.steps)
    res = dict(machine=platform.platform(), cores=os.cpu_count(), model=cfg.model, imgsz=cfg.imgsz, batch=cfg.batch,
               optimizer=cfg.optimizer, steps=a.steps, seconds=time.perf_counter() - t0,
               loadavg=dict(start=load0, end=os.getloadavg()), started=time.strftime('%Y-%m-%dT%H:%M:%S'),
               suggestions=df.attrs, rows=df.to_dict('records'))
    print(df.to_string(float_format=lambda v: f'{v:.4g}'))
    print(f"suggestions: steepest {df.attrs['steepest']:.2e}, a tenth of the minimum {df.attrs['min_tenth']:.2e}; "
          f"load average {load0[0]:.1f}")
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(a.out) as f: json.dump(res, f, indent=1)

if __name__ == '__main__': main()

"""Transfer learning: the same synthetic data, epochs and settings ([demo]: 224 px, batch 8, AdamW, no mosaic),
trained from random weights (scratch) and from the COCO-pretrained YOLO11n-pose that `make install` fetches; then the
pretrained start with `freeze` = 0, 'backbone' and 'head' (all but the head). For each run: validation mAP50 per
epoch, training time, and mAP50 on the held-out test patients (best.pt). Prints both test mAP50s and their ratio
(pretrained / scratch). `--lr` instead sweeps the learning rate of the pretrained start (the demo's choice).
Runs alternate (scratch, pretrained, scratch, ...) so a change in the machine's load hits both sides; with `--runs`
> 1 the medians are reported. Results (curves included) go to --out as JSON, with the machine's load average.
Usage: python bench/transfer.py [--epochs 12] [--runs 1] [--freeze 0 backbone head] [--lr 3e-4 1e-3 2e-3 5e-3]
                                [--patients 120] [--imgsz 224] [--out bench/results/transfer.json]
"""
import argparse, dataclasses, json, os, platform, tempfile, time
from pathlib import Path
import numpy as np, pandas as pd
from xray_yolo.core import atomic_write, get_cfg, pick_device
from xray_yolo.synth import make_synth
from xray_yolo.train import TrainCfg, train
from xray_yolo.evaluate import evaluate_model

def one(ds, tmp, name, **kw):
    "Train one configuration on `ds`; its validation curve, time and test mAP50."
    cfg = TrainCfg.from_settings('demo', data=str(ds), runs_dir=str(tmp/'runs'), name=name, val=True, patience=0, **kw)
    cfg = dataclasses.replace(cfg, time=None)  # a fixed number of epochs, not [demo]'s time budget
    t0 = time.perf_counter()
    run = train(cfg, progress=False)
    secs = time.perf_counter() - t0
    df = pd.read_csv(run/'results.csv'); df.columns = [c.strip() for c in df.columns]
    m = evaluate_model(run/'weights'/'best.pt', ds, split='test', out=run/'eval', imgsz=cfg.imgsz, bootstrap=0)
    return dict(name=name, model=cfg.model, freeze=cfg.freeze, lr0=cfg.lr0, epochs=len(df), train_s=secs,
                val_mAP50=df['metrics/mAP50(B)'].round(4).tolist(), test_mAP50=m['AP50'], test_mAP50_95=m['AP50_95'])

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--epochs', type=int, default=12); ap.add_argument('--runs', type=int, default=1)
    ap.add_argument('--patients', type=int, default=120); ap.add_argument('--imgsz', type=int, default=224)
    ap.add_argument('--freeze', nargs='*', default=[], help="freeze settings to compare: 0, backbone, head, or a number")
    ap.add_argument('--lr', nargs='*', type=float, default=[], help='learning rates to sweep (pretrained start)')
    ap.add_argument('--no-compare', action='store_true', help='skip scratch vs pretrained')
    ap.add_argument('--device', default='auto'); ap.add_argument('--out', default='bench/results/transfer.json')
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    ds = make_synth(tmp/'ds', n_patients=a.patients, progress=False)
    pre = get_cfg('train').model
    common = dict(epochs=a.epochs, imgsz=a.imgsz, device=pick_device(a.device))
    load0 = os.getloadavg()
    res = dict(machine=platform.platform(), cores=os.cpu_count(), device=common['device'], patients=a.patients,
               epochs=a.epochs, imgsz=a.imgsz, pretrained=pre, started=time.strftime('%Y-%m-%dT%H:%M:%S'), runs=[])
    for r in range(a.runs):
        if not a.no_compare:
            for side, model in (('scratch', 'yolo11n.yaml'), ('pretrained', pre)):
                res['runs'].append(dict(one(ds, tmp, f'{side}{r}', model=model, **common), side=side, round=r))
                print(res['runs'][-1]['name'], res['runs'][-1]['test_mAP50'], f"{res['runs'][-1]['train_s']:.0f}s", flush=True)
        for f in a.freeze:
            fz = int(f) if f.isdigit() else f
            res['runs'].append(dict(one(ds, tmp, f'freeze-{f}{r}', model=pre, freeze=fz or None, **common), side=f'freeze {f}', round=r))
            print(res['runs'][-1]['name'], res['runs'][-1]['test_mAP50'], f"{res['runs'][-1]['train_s']:.0f}s", flush=True)
        for lr in a.lr:
            res['runs'].append(dict(one(ds, tmp, f'lr{lr:g}-{r}', model=pre, lr0=lr, **common), side=f'lr0 {lr:g}', round=r))
            print(res['runs'][-1]['name'], res['runs'][-1]['test_mAP50'], f"{res['runs'][-1]['train_s']:.0f}s", flush=True)
    res['loadavg'] = dict(start=load0, end=os.getloadavg())
    df = pd.DataFrame(res['runs'])
    summ = df.groupby('side', sort=False).agg(test_mAP50=('test_mAP50', 'median'), best_val_mAP50=('val_mAP50', lambda s: np.median([max(v) for v in s])),
                                             train_s=('train_s', 'median'), runs=('round', 'size'))
    print(f"\n{a.patients} patients, {a.epochs} epochs at {a.imgsz}px on {common['device']} ({os.cpu_count()} cores), "
          f"load average {load0[0]:.1f} -> {res['loadavg']['end'][0]:.1f}; medians of {a.runs} run(s) per side")
    print(summ.to_string(float_format=lambda v: f'{v:.3f}'))
    if not a.no_compare:
        s, p = summ.loc['scratch', 'test_mAP50'], summ.loc['pretrained', 'test_mAP50']
        res['ratio'] = p / s if s else None
        print(f'test mAP50: pretrained {p:.3f} vs scratch {s:.3f}: ratio {p/s:.2f}x' if s else f'pretrained {p:.3f}, scratch 0')
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(a.out) as f: json.dump(res, f, indent=1)
    print(f'-> {a.out}')

if __name__ == '__main__': main()

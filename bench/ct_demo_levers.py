"""The CT demo's levers, one change at a time: each lever trains the pretrained YOLO11n for the same wall-clock budget
on a CT-film set and evaluates best.pt on the held-out test patients. The reference is `[demo_ct]` with its
`[demo_ct_data]` film set (frozen backbone, 320 px, nodules 10-30 mm with CNR >= 30, no fractures); each other row
changes one thing: the film set (the full generator's, nodule sizes, CNR floor, fewer patients, render size) or the
training (no freezing, all but the head frozen, learning rate, mosaic). Per run: epochs, seconds per epoch, the
validation mAP50 curve, test mAP50, and the load average. Single runs on a shared machine: the load (recorded) moves
epoch times, so differences of a few hundredths are noise; time per epoch is what to compare.
Usage: python bench/ct_demo_levers.py [--minutes 4] [--only NAME ...] [--out docs/recorded/demo-ct-levers.json]
"""
import argparse, json, os, platform, tempfile, time
from pathlib import Path
import pandas as pd
from xray_yolo.core import atomic_write, get_cfg
from xray_yolo.drr import make_drr
from xray_yolo.train import TrainCfg, train
from xray_yolo.evaluate import evaluate_model

FULL = dict(size=512, nodule_mm=(5, 30), min_cnr=5.0, fracture_frac=0.4)  # [drr] as it is: the full generator
# name: (film set changes from [demo_ct_data], training changes from [demo_ct], what the row tests)
LEVERS = {
    'reference': ({}, {}, '[demo_ct] on [demo_ct_data]'),
    'full set': (FULL, {}, 'the full generator: 5-30 mm, CNR >= 5, fractures, 512 px films'),
    'nodules 5-30 mm': (dict(nodule_mm=(5, 30)), {}, 'nodule sizes not restricted'),
    'CNR >= 15': (dict(min_cnr=15.0), {}, 'a lower CNR floor'),
    '100 patients': (dict(n_patients=100), {}, 'fewer films, more epochs'),
    '384 px': (dict(size=384), dict(imgsz=384), 'films rendered and trained at 384 px'),
    '256 px': (dict(size=256), dict(imgsz=256), 'films rendered and trained at 256 px'),
    'not frozen': ({}, dict(freeze=0), 'every layer trained'),
    'all but head frozen': ({}, dict(freeze='head'), 'only the detection head trained'),
    'lr0 5e-4': ({}, dict(lr0=5e-4), 'half the learning rate'),
    'lr0 2e-3': ({}, dict(lr0=2e-3), 'twice the learning rate'),
    'mosaic': ({}, dict(mosaic=1.0), 'mosaic augmentation on'),
}

def one(name, films, trn, minutes, tmp):
    "Render the film set of lever `name` (cached per film settings), train for `minutes`, evaluate on test."
    f = {**get_cfg('demo_ct_data'), **films}
    key = '-'.join(f'{k}{v}' for k,v in sorted(f.items()) if k != 'out').replace(' ', '')
    ds = tmp/'sets'/key
    if not (ds/'data.yaml').is_file(): make_drr(**{**f, 'out': ds}, progress=False)
    cfg = TrainCfg.from_settings('demo_ct', data=str(ds), runs_dir=str(tmp/'runs'), name=name.replace(' ', '_'),
                                 time=minutes/60, **trn)
    load0 = os.getloadavg()[0]
    t0 = time.time()
    run = train(cfg, progress=False)
    secs = time.time() - t0
    m = evaluate_model(run/'weights'/'best.pt', ds, split='test', out=run/'eval', imgsz=cfg.imgsz, bootstrap=0)
    df = pd.read_csv(run/'results.csv'); df.columns = [c.strip() for c in df.columns]
    return dict(lever=name, epochs=len(df), epoch_s=df.time.diff().fillna(df.time).round(1).tolist(),
                val_mAP50=df['metrics/mAP50(B)'].round(3).tolist(), test_mAP50=round(m['AP50'], 4),
                test_mAP50_95=round(m['AP50_95'], 4), train_min=round(secs/60, 2),
                load=[round(load0, 1), round(os.getloadavg()[0], 1)], at=time.strftime('%H:%M'))

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--minutes', type=float, default=4.0, help='training budget per lever')
    ap.add_argument('--only', nargs='*', default=None, help='levers to run (default: all)')
    ap.add_argument('--out', default='docs/recorded/demo-ct-levers.json')
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    res = dict(machine=platform.platform(), cores=os.cpu_count(), minutes=a.minutes, rows=[],
               started=time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime()))
    for name,(films,trn,what) in LEVERS.items():
        if a.only and name not in a.only: continue
        res['rows'].append(dict(one(name, films, trn, a.minutes, tmp), what=what))
        r = res['rows'][-1]
        print(f"{name:22s} {r['epochs']:3d} epochs  {pd.Series(r['epoch_s']).median():5.1f} s/epoch  "
              f"test mAP50 {r['test_mAP50']:.3f}  load {r['load'][0]:.1f}->{r['load'][1]:.1f}", flush=True)
    with atomic_write(a.out) as f: json.dump(res, f, indent=1)
    print(f'-> {a.out}')

if __name__ == '__main__': main()

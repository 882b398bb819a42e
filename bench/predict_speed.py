"""CPU speed of `xray-yolo predict` with an exported model (ONNX Runtime; OpenVINO when installed) against
Ultralytics' PyTorch predict, on the same weights, images, image size, batch and confidence, in one run.

Target: `predict --backend onnx` at least 1.5x Ultralytics' PyTorch predict (its defaults, on the CPU). A random-weight
yolo11n stands in for a trained one (same compute; at a low confidence it fires everywhere, which also loads the NMS).
Ultralytics' own ONNX path (AutoBackend) and PyTorch with one thread per core are timed too, for context.
The contenders run in turns (round 1: each once, round 2: each once, ...) so that a change in the machine's load hits
them alike; each is reported by its median and its range (slowest-fastest round), and each ratio as the median of the
per-round ratios, with their range.
`predict` writes its CSV and JSON (no overlays); Ultralytics only returns results.
Images/s is wall-clock time and depends on what else the machine runs (the load average is printed each round: on a
shared 2-core machine a load above 2 means the contenders get only part of the cores). Images per CPU-second (process
CPU time, all threads) is the work each one does per image, and hardly depends on the load.
Usage: python bench/predict_speed.py [--n 48] [--imgsz 416] [--batch 8] [--conf 0.01] [--rounds 5]"""
import argparse, contextlib, io, os, statistics, tempfile, time, importlib.util
from pathlib import Path
os.environ.setdefault('FIFTYONE_DO_NOT_TRACK', 'true')
from xray_yolo.core import load_yolo
from xray_yolo.synth import make_synth
from xray_yolo.deploy import random_model, export_model, predict, OnnxDetector, OpenVinoDetector, list_images

def load(): return ' '.join(f'{x:.1f}' for x in os.getloadavg())

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--n', type=int, default=48, help='images'); ap.add_argument('--imgsz', type=int, default=416)
    ap.add_argument('--batch', type=int, default=8); ap.add_argument('--rounds', type=int, default=5)
    ap.add_argument('--conf', type=float, default=0.01)
    ap.add_argument('--threads', type=int, default=0, help='ONNX Runtime / OpenVINO threads (0: all cores)')
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    ds = make_synth(tmp/'ds', n_patients=max(1, -(-a.n//4)), imgs_per_patient=4, size=a.imgsz, progress=False)
    imgs = [str(p) for p in list_images(ds/'images')][:a.n]
    src = tmp/'src'; src.mkdir()
    for p in imgs: os.symlink(p, src/Path(p).name)
    pt = random_model(tmp/'m.pt', imgs[:8], imgsz=a.imgsz)
    has_ov = importlib.util.find_spec('openvino') is not None
    with contextlib.redirect_stdout(io.StringIO()):
        onx = export_model(pt)
        ovm = export_model(pt, format='openvino') if has_ov else None
    import torch, onnxruntime
    m = load_yolo(str(pt), verbose=False); mo = load_yolo(str(onx), verbose=False)
    kw = dict(conf=a.conf, imgsz=a.imgsz, device='cpu', verbose=False, batch=a.batch)
    m.predict(imgs[:1], **kw)  # sets Ultralytics' CPU thread count (its default), which we report
    ultra_threads, cores = torch.get_num_threads(), os.cpu_count()
    def torch_pred(th=None):
        def f():
            if th: torch.set_num_threads(th)
            try: return [r for r in m.predict(imgs, stream=True, **kw)]
            finally: torch.set_num_threads(ultra_threads)
        return f
    ours = lambda det: (lambda: predict(src, det, tmp/'out', conf=a.conf, batch=a.batch, overlays=False, progress=False))
    runs = {f'Ultralytics PyTorch predict (its defaults: {ultra_threads} torch thread{"s"*(ultra_threads > 1)})': torch_pred(),
            f'Ultralytics PyTorch predict, {cores} torch threads': torch_pred(cores),
            'Ultralytics predict on the .onnx (AutoBackend)': lambda: [r for r in mo.predict(imgs, stream=True, **kw)],
            'xray-yolo predict --backend onnx': ours(OnnxDetector(onx, a.imgsz, a.threads))}
    if has_ov: runs['xray-yolo predict --backend openvino'] = ours(OpenVinoDetector(ovm, a.imgsz, a.threads))
    vers = f'torch {torch.__version__}, onnxruntime {onnxruntime.__version__}'
    if has_ov: import openvino; vers += f', openvino {openvino.__version__}'
    print(f'{len(imgs)} images {a.imgsz}x{a.imgsz}, batch {a.batch}, conf {a.conf}, {cores} cores, '
          f'xray-yolo threads {a.threads or cores} ({vers}); load average {load()}', flush=True)
    for f in runs.values(): f()  # warm-up
    ts, cs = {k: [] for k in runs}, {k: [] for k in runs}
    for r in range(a.rounds):
        for k, f in runs.items():
            t, c = time.perf_counter(), time.process_time(); f()
            ts[k].append(time.perf_counter() - t); cs[k].append(time.process_time() - c)
        print(f'round {r+1}/{a.rounds}: ' + ', '.join(f'{len(imgs)/t[-1]:.1f}' for t in ts.values()) + f' images/s; load average {load()}', flush=True)
    base = next(iter(ts))
    for k, t in ts.items():
        ratio = statistics.median(b/x for b, x in zip(ts[base], t))
        rr = [b/x for b, x in zip(ts[base], t)]
        print(f'{k}: median {len(imgs)/statistics.median(t):.1f} images/s (range {len(imgs)/max(t):.1f}-{len(imgs)/min(t):.1f}), '
              f'{ratio:.2f}x Ultralytics PyTorch predict (median of per-round ratios, range {min(rr):.2f}-{max(rr):.2f}x); '
              f'{len(imgs)/statistics.median(cs[k]):.1f} images per CPU-second')
    on = statistics.median(b/x for b, x in zip(ts[base], ts['xray-yolo predict --backend onnx']))
    cpu = statistics.median(cs[base])/statistics.median(cs['xray-yolo predict --backend onnx'])
    print(f'ratio ONNX (xray-yolo) / Ultralytics PyTorch predict: {on:.2f}x in images/s (target >= 1.5x: {"met" if on >= 1.5 else "NOT met"}), '
          f'{cpu:.2f}x in images per CPU-second; load average at the end {load()}')

if __name__ == '__main__': main()

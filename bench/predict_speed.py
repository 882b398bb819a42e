"""CPU speed of `xray-yolo predict --backend onnx` (our letterbox + ONNX Runtime + NumPy/OpenCV NMS) against Ultralytics'
PyTorch predict, and Ultralytics' own ONNX path (AutoBackend), on the same model, images and image size, in one run.
Target: ONNX at least 1.5x Ultralytics' PyTorch predict. A random-weight yolo11n stands in for a trained one (same
compute). Usage: python bench/predict_speed.py [--n 48] [--imgsz 416] [--batch 8] [--repeat 3]"""
import argparse, contextlib, io, os, tempfile, time
from pathlib import Path
os.environ.setdefault('FIFTYONE_DO_NOT_TRACK', 'true')
from xray_yolo.core import load_yolo
from xray_yolo.synth import make_synth
from xray_yolo.deploy import random_model, export_model, predict, OnnxDetector, list_images

def best(f, repeat):
    "Fastest of `repeat` timed calls of `f`, after one untimed warm-up call."
    f(); ts = []
    for _ in range(repeat):
        t = time.perf_counter(); f(); ts.append(time.perf_counter() - t)
    return min(ts)

def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('--n', type=int, default=48, help='images'); ap.add_argument('--imgsz', type=int, default=416)
    ap.add_argument('--batch', type=int, default=8); ap.add_argument('--repeat', type=int, default=3)
    ap.add_argument('--conf', type=float, default=0.01)
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    ds = make_synth(tmp/'ds', n_patients=max(1, a.n//4), imgs_per_patient=4, size=a.imgsz, progress=False)
    imgs = [str(p) for p in list_images(ds/'images')][:a.n]
    src = tmp/'src'; src.mkdir()
    for p in imgs: os.symlink(p, src/Path(p).name)
    pt = random_model(tmp/'m.pt', imgs[:8], imgsz=a.imgsz)
    with contextlib.redirect_stdout(io.StringIO()): onx = export_model(pt)
    m = load_yolo(str(pt), verbose=False); mo = load_yolo(str(onx), verbose=False)
    kw = dict(conf=a.conf, imgsz=a.imgsz, device='cpu', verbose=False, batch=a.batch)
    torch_pred = lambda: [r for r in m.predict(imgs, stream=True, **kw)]
    ultra_onnx = lambda: [r for r in mo.predict(imgs, stream=True, **kw)]
    ours = lambda th: (lambda: predict(src, OnnxDetector(onx, a.imgsz, th), tmp/'out', conf=a.conf, batch=a.batch, overlays=False, progress=False))
    import torch, onnxruntime
    print(f'{len(imgs)} images {a.imgsz}x{a.imgsz}, batch {a.batch}, conf {a.conf}, {os.cpu_count()} cores '
          f'(torch {torch.__version__} threads {torch.get_num_threads()}, onnxruntime {onnxruntime.__version__})')
    res = {}
    for name, f in (('Ultralytics PyTorch predict', torch_pred), ('Ultralytics predict on the .onnx (AutoBackend)', ultra_onnx),
                    *((f'xray-yolo predict --backend onnx, {th} ONNX Runtime threads (CSV/JSON written, no overlays)', ours(th)) for th in (os.cpu_count(), 1))):
        res[name] = len(imgs)/best(f, a.repeat)
        print(f'{name}: {res[name]:.1f} images/s', flush=True)
    v = list(res.values())
    print(f'ratio ONNX (xray-yolo, threads = cores) / PyTorch: {v[2]/v[0]:.2f}x (target >= 1.5x); with 1 thread: {v[3]/v[0]:.2f}x; '
          f'Ultralytics ONNX / PyTorch: {v[1]/v[0]:.2f}x')

if __name__ == '__main__': main()

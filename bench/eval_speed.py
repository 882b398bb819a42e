"""Speed of the xray-yolo metric engine against pycocotools' COCOeval and faster-coco-eval (the C++ evaluator
Ultralytics uses), on identical inputs: 20,000 images (70% normal), 200,000 predictions, 3 classes.

Like with like: every contender runs the same number of times (`--rounds`, default 5), in turns (round 1: each once,
round 2: each once, ... with the order rotated every round) so that a change in the machine's load hits them alike.
Each is reported by its median and its spread (min-max) in seconds; each ratio is the median of the per-round ratios.
Timed: evaluate + accumulate + summarize (building the COCO objects from the arrays is not counted for the references;
building our arrays is not counted for us). Prints the largest difference of the 12 COCO stats too.
Usage: python bench/eval_speed.py [--n-img 20000] [--n-pred 200000] [--rounds 5]"""
import argparse, contextlib, io, os, statistics, time
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

def run_ours(gt, pred, n_img, nc):
    "Our 12 stats and the seconds `coco_eval` took."
    t = time.perf_counter(); r = coco_eval(gt, pred, nc)
    return np.array(list(r['stats'].values())), time.perf_counter() - t

def load(): return ' '.join(f'{x:.1f}' for x in os.getloadavg())

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--n-img', type=int, default=20000); ap.add_argument('--n-pred', type=int, default=200000)
    ap.add_argument('--rounds', type=int, default=5, help='runs of each contender, interleaved')
    a = ap.parse_args()
    gt, pred, n_img, nc = make_set(a.n_img, a.n_pred)
    print(f'{n_img} images ({n_img - len(np.unique(gt["img"]))} normal), {len(gt["img"])} boxes, {len(pred["img"])} predictions, '
          f'{nc} classes; {a.rounds} interleaved rounds; load average {load()}', flush=True)
    libs = ['xray-yolo', 'pycocotools', 'faster-coco-eval']
    ts, stats = {k: [] for k in libs}, {}
    for r in range(a.rounds):
        order = libs[r % 3:] + libs[:r % 3]  # rotate who goes first
        for k in order:
            s, t = run_ours(gt, pred, n_img, nc) if k == 'xray-yolo' else run_ref(k, gt, pred, n_img, nc)
            ts[k].append(t); stats[k] = s
        print(f'round {r+1}/{a.rounds}: ' + ', '.join(f'{k} {ts[k][-1]:.2f} s' for k in libs) + f'; load average {load()}', flush=True)
    for k in libs:
        t = ts[k]
        print(f'{k}: median {statistics.median(t):.2f} s (min {min(t):.2f}, max {max(t):.2f}) over {len(t)} runs', end='')
        if k == 'xray-yolo': print(f'; AP50-95 {stats[k][0]:.4f}, AP50 {stats[k][1]:.4f}')
        else:
            rat = [x/o for x, o in zip(t, ts['xray-yolo'])]
            print(f'; xray-yolo is {statistics.median(rat):.1f}x faster (median of per-round ratios; range {min(rat):.1f}-{max(rat):.1f}x); '
                  f'largest difference of the 12 COCO stats: {np.abs(stats[k] - stats["xray-yolo"]).max():.2e}')

if __name__ == '__main__': main()

"""Stage 1 of the near-duplicate search, its registration into the templates: one registration for both frames
(`qa.canon_embedding(both=True)`, what `near_duplicates` does with `dup_k_similar` on: by similarity, then the affine
frame by ECC's affine steps at full size from that warp) against the reference, in the same process, on the same
films: two registrations from scratch (`canon_embedding(similar=False)` then `canon_embedding(similar=True)`), as
`near_duplicates` did before. `--n` distinct films of each kind (hand-drawn, 4 per patient; CT, rendered from the
chest CT, 4 per synthetic patient) and `--copies` planted altered copies (`qa.alter_film`) of as many, embedded
`--runs` times by each side, alternated, on one thread. Prints the median seconds per film of each side and their
ratio, and, from the last run of each side, the copies whose source is among their candidates (`dup_candidates` with
`dup_k` from the affine frames and `dup_k_similar` from the similar frames, as `near_duplicates`) and the candidate
pairs (each one registration in stage 2).

Usage: taskset -c 0 python bench/qa_embed.py [--n 600] [--copies 60] [--runs 3] [--kind hand-drawn ct]"""
import argparse, statistics, sys, tempfile, time
from pathlib import Path
import numpy as np, cv2, pandas as pd
from xray_yolo.core import get_cfg
from xray_yolo.qa import dup_films, dup_templates, canon_embedding, dup_candidates
sys.path.insert(0, str(Path(__file__).parent))
from qa_dups import write_films, write_ct_films  # the large bench's films: the same drawing, the same copies

def prepare(paths:list):
    "The films as `near_duplicates` reads them for stage 1: equalised at dup_side, the smoothed detail at 64 px."
    f32 = lambda x: x.astype(np.float32)/255
    N, D = zip(*[dup_films(p, stage2=False) for p in paths])
    tm = dup_templates(N, get_cfg('qa').dup_n_templates)
    return [f32(n) for n in N], [f32(d) for d in D], tm

def sources(frames:list, src:dict):
    "Copies whose source is among their candidates, and the candidate pairs (affine: dup_k, similar: dup_k_similar)."
    cfg = get_cfg('qa')
    ks = (cfg.dup_k, cfg.dup_k_similar)
    c = pd.concat([dup_candidates(*[np.stack(a) for a in zip(*f)], k) for f,k in zip(frames, ks)])
    got = set(zip(c.i, c.j))
    return sum((s, k) in got for k,s in src.items()), len(got)

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--n', type=int, default=600)
    ap.add_argument('--copies', type=int, default=60)
    ap.add_argument('--runs', type=int, default=3)
    ap.add_argument('--kind', nargs='+', default=['hand-drawn', 'ct'], choices=['hand-drawn', 'ct'])
    a = ap.parse_args()
    cv2.setNumThreads(1)  # one thread: the registrations' own cost, not OpenCV's parallel loops
    tpf = get_cfg('qa').dup_templates_per_film
    with tempfile.TemporaryDirectory() as tmp:
        for kind in a.kind:
            if kind == 'ct': paths, src, _ = write_ct_films(Path(tmp)/'ct', a.n, a.copies, 256, workers=1)
            else: paths, src = write_films(Path(tmp)/'hand', a.n, a.copies, 256)
            N, D, tm = prepare(paths)
            one = lambda: [canon_embedding(x, tm, tpf, detail=d, both=True) for x,d in zip(N, D)]
            two = lambda: [(canon_embedding(x, tm, tpf, detail=d), canon_embedding(x, tm, tpf, detail=d, similar=True))
                           for x,d in zip(N, D)]
            ours, ref = [], []
            for _ in range(a.runs):  # alternated, so that a change in the machine's load hits both sides
                t = time.perf_counter(); eo = one(); ours.append(time.perf_counter() - t)
                t = time.perf_counter(); er = two(); ref.append(time.perf_counter() - t)
            mo, mr = statistics.median(ours)/len(N), statistics.median(ref)/len(N)
            (so, po), (sr, pr) = [sources(list(zip(*e)), src) for e in (eo, er)]
            print(f'{kind}: {a.n} films + {a.copies} copies, {a.runs} runs each, one thread: one registration '
                  f'{mo*1000:.1f} ms/film, two (reference) {mr*1000:.1f} ms/film (median); ratio {mo/mr:.2f}x. '
                  f'Sources among the candidates: {so} of {a.copies} in {po} pairs, against {sr} in {pr}')

if __name__ == '__main__': main()

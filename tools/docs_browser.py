"""Browser test of the built docs site: serve `_site/` on localhost, open every page in headless Chromium (Debian's,
driven by Playwright; never a browser Playwright downloads) and check that each page loads with no console errors,
no failed or outside requests, that every internal link (and its #anchor) resolves, that every image renders, that
every exported function has its API entry on its chapter page (at nbdev's anchor), and that search finds a function.
Usage: python tools/docs_browser.py [--site _site] [--screenshots docs/screenshots]"""
import argparse, ast, functools, http.server, importlib, os, sys, threading, time
from pathlib import Path
from urllib.parse import urlsplit, unquote

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get('CHROMIUM', '/usr/bin/chromium')
# Flags from shared/notes/environment.md: no sandbox (root in a container), and no background network traffic.
FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync']
SEARCH_FOR = ('make_synth', 'synth.html')  # a function name, and the page search must lead to

class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a): pass

def serve(site:Path):
    "Serve `site` on a free localhost port in a thread; returns (server, base url)."
    srv = http.server.ThreadingHTTPServer(('127.0.0.1', 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, f'http://127.0.0.1:{srv.server_address[1]}/'

def _all(path:Path)->set:
    "Names in the `__all__` of module file `path`, read without importing it (importing torch/FiftyOne takes seconds)."
    for n in ast.parse(path.read_text()).body:
        if isinstance(n, ast.Assign) and any(getattr(t, 'id', '') == '__all__' for t in n.targets): return set(ast.literal_eval(n.value))
    return set()

def api_anchors()->dict:
    "Page -> anchors that nbdev's symbol index (`_modidx`) gives every public exported name."
    d = importlib.import_module('xray_yolo._modidx').d
    res = {}
    for mod, syms in d['syms'].items():
        pub = _all(ROOT/(mod.replace('.', '/') + '.py'))
        for sym, (url, _) in syms.items():
            if sym.split('.')[-1] not in pub: continue  # private helpers and methods get no entry of their own
            page, anchor = url.split('#')
            res.setdefault(page, set()).add(anchor)
    return res

# Wait for every image (lazy ones included) to finish, then report those that did not render.
_IMGS_JS = """async () => {
  const imgs = [...document.images];
  imgs.forEach(i => i.loading = 'eager');
  await Promise.all(imgs.map(i => i.complete ? 0 : new Promise(r => { i.onload = i.onerror = r; setTimeout(r, 5000); })));
  return {n: imgs.length, nout: document.querySelectorAll('.cell_output img').length,
          bad: imgs.filter(i => !(i.naturalWidth > 0)).map(i => i.getAttribute('src'))};
}"""

def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('--site', default=str(ROOT/'_site'))
    ap.add_argument('--screenshots', default='', help='folder for landing.png and chapter.png (e.g. docs/screenshots)')
    a = ap.parse_args()
    site = Path(a.site).resolve()
    if not (site/'index.html').exists(): sys.exit(f'{site}/index.html missing: build the site first (tools/docs_build.py)')
    from playwright.sync_api import sync_playwright
    t0 = time.time()
    pages = sorted(str(p.relative_to(site)) for p in site.rglob('*.html') if not p.relative_to(site).parts[0].startswith('_'))
    srv, base = serve(site)
    fails, ids, links, nimg = [], {}, [], 0
    with sync_playwright() as p:
        br = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)  # Playwright gives it a new empty profile
        page = br.new_context(viewport={'width': 1280, 'height': 900}).new_page()
        errs = []
        page.on('console', lambda m: m.type == 'error' and errs.append(f'console: {m.text}'))
        page.on('pageerror', lambda e: errs.append(f'page error: {e}'))
        page.on('requestfailed', lambda r: errs.append(f'request failed: {r.url} {r.failure}'))
        page.on('response', lambda r: r.status >= 400 and errs.append(f'HTTP {r.status}: {r.url}'))
        def _route(route):  # an air-gapped site must not reach out: record and block anything not on our server
            if route.request.url.startswith(base) or route.request.url.startswith(('data:', 'blob:')): return route.continue_()
            errs.append(f'outside request: {route.request.url}')
            route.abort()
        page.route('**/*', _route)
        for name in pages:
            errs.clear()
            t1 = time.time()
            page.goto(base + name, wait_until='load')
            im = page.evaluate(_IMGS_JS)
            nimg += im['nout']
            fails += [f'{name}: image does not render: {s}' for s in im['bad']]
            ids[name] = set(page.eval_on_selector_all('[id], a[name]', 'els => els.map(e => e.id || e.name)'))
            links += [(name, h) for h in page.eval_on_selector_all('a[href]', 'els => els.map(e => e.href)')]
            fails += [f'{name}: {e}' for e in errs]
            if os.environ.get('DOCS_TIMING'): print(f'{name} {time.time()-t1:.1f}s')
        # Search: Sphinx's client-side index, as a user types a function name into the search box.
        errs.clear()
        q, want = SEARCH_FOR
        page.goto(f'{base}search.html?q={q}', wait_until='load')
        try:
            page.wait_for_selector(f'#search-results a[href*="{want}"]', timeout=15000)
        except Exception: fails.append(f'search for {q} lists no link to {want}')
        fails += [f'search.html?q={q}: {e}' for e in errs]
        if a.screenshots:
            out = Path(a.screenshots); out.mkdir(parents=True, exist_ok=True)
            page.goto(base + 'index.html', wait_until='networkidle'); page.screenshot(path=str(out/'landing.png'))
            page.goto(base + 'synth.html', wait_until='networkidle'); page.evaluate(_IMGS_JS)
            # A chapter where it shows most: an API entry (signature with docments) and a plot below it.
            page.evaluate("document.getElementById('synth_image').scrollIntoView(); window.scrollBy(0, -70)")
            page.screenshot(path=str(out/'chapter.png'))
        br.close()
    srv.shutdown()
    # Internal links: the target file exists, and its #anchor is an id on that page.
    for src, href in sorted(set(links)):
        if not href.startswith(base): continue
        u = urlsplit(href)
        path = unquote(u.path)[1:] or 'index.html'
        if path.endswith('/'): path += 'index.html'
        if not (site/path).exists(): fails.append(f'{src}: broken link {href}'); continue
        if u.fragment and path in ids and unquote(u.fragment) not in ids[path]:
            fails.append(f'{src}: link to a missing anchor {path}#{u.fragment}')
    # The API reference: every public exported name has its show_doc entry at the anchor nbdev's links use.
    for pg, anchors in sorted(api_anchors().items()):
        if pg not in ids: fails.append(f'no page {pg} for the API entries of {sorted(anchors)[:3]}...'); continue
        fails += [f'{pg}: no API entry for {x}' for x in sorted(anchors - ids[pg])]
    if nimg == 0: fails.append('no notebook output image (plot) on any page')
    for f in fails: print('FAIL', f)
    print(f'{len(pages)} pages, {len(set(links))} links, {nimg} output images checked in {time.time()-t0:.0f}s: '
          f'{len(fails)} problems')
    sys.exit(1 if fails else 0)

if __name__ == '__main__': main()

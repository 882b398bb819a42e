"""Browser test of `make lab`: start JupyterLab exactly as `make lab` does (on a free localhost port, with a token),
open a chapter notebook in headless Chromium (Debian's, driven by Playwright), run its first code cells as a user does
(Shift+Enter), and check that every one ran with no error output, that nothing offered to fetch news, and that no
request left localhost: neither from the page (Playwright's router) nor from the server or its kernel (a recording
socket guard loaded at interpreter start), also while the news, update-check and extension-search endpoints are
called directly, as a user saying "yes" to news or typing in the extension manager would. Then shut the server down
through its API and check that it exited and left the notebook folder as it was.
Usage: python tools/lab_browser.py [--nb nbs/03_explore.ipynb] [--cells 9] [MAKEVAR=value ...]
(e.g. `LAB_FLAGS=--no-browser` runs it against a bare JupyterLab, which must fail.)"""
import argparse, hashlib, json, os, secrets, shutil, signal, socket, subprocess, sys, tempfile, time
import urllib.error, urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get('CHROMIUM', '/usr/bin/chromium')
# Flags from shared/notes/environment.md: no sandbox (root in a container), and no background network traffic.
FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking',
         '--disable-component-update', '--disable-sync']
LOCAL = ('127.0.0.1', 'localhost', '::1', '0.0.0.0', '')
NEWS_TOAST = 'Would you like to get notified about official Jupyter news?'

# Loaded by the server and by every kernel it starts (they inherit PYTHONPATH). It records, then refuses, any attempt
# to resolve or connect to a host that is not this machine, so an outbound call fails the test even on a machine
# with internet access. Unix sockets and loopback pass. (xray_yolo.privacy's guard refuses loopback too, which a
# Jupyter server needs, so this one is separate.)
_GUARD = r'''import os as _os, socket as _s
_log = _os.environ.get('LAB_NET_LOG')
_LOCAL = {'127.0.0.1', 'localhost', '::1', '0.0.0.0', '', None}
_gai, _connect, _connect_ex = _s.getaddrinfo, _s.socket.connect, _s.socket.connect_ex
def _note(what):
    with open(_log, 'a') as f: f.write(f'{_os.getpid()} {what}\n')
def _host(addr): return addr[0] if isinstance(addr, tuple) else None
def _outside(sock, addr):
    h = _host(addr)
    return sock.family in (_s.AF_INET, _s.AF_INET6) and h not in _LOCAL and not str(h).startswith('127.')
def getaddrinfo(host, *a, **k):
    h = host.decode() if isinstance(host, bytes) else host
    if h not in _LOCAL and not str(h).startswith('127.'):
        _note(f'resolve {h}')
        raise _s.gaierror(-3, f'{h}: outbound lookup refused by tools/lab_browser.py')
    return _gai(host, *a, **k)
def connect(self, addr, *a):
    if _outside(self, addr):
        _note(f'connect {addr}')
        raise OSError(101, 'outbound connection refused by tools/lab_browser.py')
    return _connect(self, addr, *a)
def connect_ex(self, addr):
    if _outside(self, addr):
        _note(f'connect {addr}')
        return 101
    return _connect_ex(self, addr)
if _log: _s.getaddrinfo, _s.socket.connect, _s.socket.connect_ex = getaddrinfo, connect, connect_ex
'''

def free_port()->int:
    "A free TCP port on 127.0.0.1."
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]

def api(base:str, token:str, path:str, method='GET', timeout=30):
    "Call the Jupyter server's REST API; returns (HTTP status, parsed JSON or None)."
    req = urllib.request.Request(base + path, method=method, headers={'Authorization': f'token {token}'})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            body = r.read()
            return r.status, (json.loads(body) if body.strip() else None)
    except urllib.error.HTTPError as e: return e.code, None

def wait_ready(base, token, proc, timeout=90):
    "Wait until the server answers `/api/status`; False if it exited or did not answer in time."
    t0 = time.time()
    while time.time() - t0 < timeout:
        if proc.poll() is not None: return False
        try:
            if api(base, token, 'api/status', timeout=5)[0] == 200: return True
        except OSError: pass
        time.sleep(0.5)
    return False

def code_cells(nb:Path, n:int)->tuple[int, int, int]:
    "Cells to step through (all kinds) to run the first `n` code cells of `nb`, how many code cells, and their plots."
    cells = json.loads(nb.read_text())['cells']
    idx = [i for i,c in enumerate(cells) if c['cell_type'] == 'code'][:n]
    nimg = sum('image/png' in o.get('data', {}) for i in idx for o in cells[i].get('outputs', []))
    return idx[-1] + 1, len(idx), nimg

def snapshot(nb:Path)->dict:
    "Hashes of notebook `nb` and of the Jupyter files beside it (checkpoints, LSP documents): the test must write none."
    files = [nb, *nb.parent.glob('.ipynb_checkpoints/*'), *nb.parent.glob('.virtual_documents/*')]
    return {str(p.relative_to(nb.parent)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files if p.is_file()}

# The first `k` code cells as JupyterLab's notebook model holds them (nbformat outputs, so an exception's output_type
# 'error' is told apart from a warning on stderr). The model is
# reached through `window.jupyterapp`, which the test asks for with --LabApp.expose_app_in_browser.
_CELLS_JS = """k => {
  const nb = window.jupyterapp.shell.currentWidget.content;
  const cells = [];
  for (let i = 0; i < nb.model.cells.length && cells.length < k; i++) {
    const c = nb.model.cells.get(i);
    if (c.type !== 'code') continue;
    cells.push({count: c.executionCount, outs: c.outputs.toJSON()});
  }
  return cells;
}"""

def run_notebook(page, url:str, nsteps:int, ncode:int, fails:list, timeout=60)->list:
    "Open `url`, run its first cells with Shift+Enter, wait for them to finish; returns the state of the code cells."
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    page.goto(url, wait_until='domcontentloaded', timeout=60000)
    page.wait_for_selector('.jp-Notebook .jp-Cell', timeout=60000)
    # The kernel starts by itself (no "Select Kernel" dialog: tools/lab-settings/overrides.json) and reports idle.
    idle = "() => (document.getElementById('jp-main-statusbar') || {}).innerText?.includes('(ipykernel) | Idle')"
    try: page.wait_for_function(idle, timeout=60000)
    except PlaywrightTimeout:
        dlg = page.query_selector('.jp-Dialog')
        ask = f": a dialog asks {dlg.inner_text()[:80]!r}" if dlg else ''
        fails.append(f'the kernel did not start within 60 s{ask}')
        return []
    if page.query_selector('.jp-Dialog'): fails.append(f"a dialog is open: {page.inner_text('.jp-Dialog')[:200]!r}")
    page.locator('.jp-Notebook .jp-Cell').first.locator('.jp-InputPrompt').click()  # select, command mode
    for _ in range(nsteps): page.keyboard.press('Shift+Enter')
    t0 = time.time()
    while time.time() - t0 < timeout:
        cells = page.evaluate(_CELLS_JS, ncode)
        if len(cells) == ncode and all(c['count'] for c in cells): break
        time.sleep(0.5)
    else: fails.append(f'the first {ncode} code cells did not all finish within {timeout}s: '
                       f"execution counts {[c['count'] for c in cells]}")
    return cells

def browse(url:str, nsteps:int, ncode:int, fails:list, screenshot='')->list:
    "Open the notebook at `url` in Chromium, run its first code cells, check their outputs; returns the cells' state."
    from playwright.sync_api import sync_playwright
    errs = []
    def _route(route):  # nothing but our server: record and block anything else
        u = route.request.url
        if u.startswith(('data:', 'blob:')) or urlsplit(u).hostname in LOCAL: return route.continue_()
        errs.append(f'outside request: {u}')
        route.abort()
    with sync_playwright() as p:
        br = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)  # Playwright gives it a new empty profile
        try:
            page = br.new_context(viewport={'width': 1280, 'height': 900}).new_page()
            page.on('pageerror', lambda e: errs.append(f'page error: {e}'))
            page.on('websocket', lambda w: urlsplit(w.url).hostname in LOCAL or errs.append(f'outside socket: {w.url}'))
            page.route('**/*', _route)
            cells = run_notebook(page, url, nsteps, ncode, fails)
            for i,c in enumerate(cells):
                fails += [f"code cell {i+1} shows an error: {o.get('ename')}: {o.get('evalue')}" for o in c['outs']
                          if o['output_type'] == 'error']
            if NEWS_TOAST in page.inner_text('body'): fails.append(f'JupyterLab offers news: "{NEWS_TOAST}"')
            if screenshot: page.screenshot(path=screenshot)
        finally:
            fails += errs
            br.close()
    return cells

def server_checks(base:str, token:str)->list:
    "Failures of the endpoints that can call out: news, update check, extension search; and the news setting."
    fails = []
    # What the page would ask for if the user said yes to news or searched the extension manager: none of it may leave
    # the machine (the guard records any attempt), and none of it may come back with news, an update or a listing.
    st, body = api(base, token, 'lab/api/news')
    if st == 200 and body.get('news'): fails.append('lab/api/news served news')
    st, body = api(base, token, 'lab/api/update')
    if st == 200 and body.get('notification'): fails.append('lab/api/update reported an update')
    st, body = api(base, token, 'lab/api/extensions?query=jupyterlab&page=1&per_page=30')
    if st == 200 and body: fails.append('lab/api/extensions listed extensions from a package index')
    st, cfg = api(base, token, 'lab/api/settings/@jupyterlab/apputils-extension:notification')
    cfg = cfg if st == 200 else {}  # the user's setting, else the default (tools/lab-settings/overrides.json sets it)
    default = cfg.get('schema', {}).get('properties', {}).get('fetchNews', {}).get('default')
    fetch = cfg.get('settings', {}).get('fetchNews', default)
    if fetch != 'false': fails.append(f'news setting fetchNews is {fetch!r}, not "false" (JupyterLab offers news)')
    return fails

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--nb', default='nbs/03_explore.ipynb', help='chapter to open (a notebook under nbs/)')
    ap.add_argument('--cells', type=int, default=9, help='how many of its first code cells to run')
    ap.add_argument('--screenshot', default='', help='PNG of the notebook after its cells ran')
    ap.add_argument('makevars', nargs='*', help='make variables for `make lab`, e.g. LAB_FLAGS=...')
    a = ap.parse_args()
    t0 = time.time()
    nb = (ROOT/a.nb).resolve()
    nsteps, ncode, want_img = code_cells(nb, a.cells)
    port, token = free_port(), secrets.token_hex(16)
    tmp = Path(tempfile.mkdtemp(prefix='lab-browser-'))
    (tmp/'guard').mkdir(); (tmp/'guard'/'sitecustomize.py').write_text(_GUARD)
    netlog = tmp/'net.log'; netlog.touch()
    # Settings, workspaces and checkpoints in a temporary folder: the user's own are not touched, and autosave is off so
    # that running cells never writes the chapter back (the check below would see it).
    docmgr = tmp/'user-settings'/'@jupyterlab'/'docmanager-extension'
    docmgr.mkdir(parents=True)
    (docmgr/'plugin.jupyterlab-settings').write_text(json.dumps({'autosave': False}))
    # The user's own Jupyter config (~/.jupyter) is left out too: the test is of the recipe, not of this account.
    env = dict(os.environ, LAB_NET_LOG=str(netlog), JUPYTER_RUNTIME_DIR=str(tmp/'runtime'),
               JUPYTER_CONFIG_DIR=str(tmp/'config'),
               PYTHONPATH=os.pathsep.join(p for p in (str(tmp/'guard'), os.environ.get('PYTHONPATH', '')) if p))
    args = (f'--port={port} --ServerApp.port_retries=0 --IdentityProvider.token={token} '
            f"--LabApp.user_settings_dir={tmp/'user-settings'} --LabApp.workspaces_dir={tmp/'workspaces'} "
            f"--FileCheckpoints.checkpoint_dir={tmp/'checkpoints'} "  # an absolute path: not nbs/.ipynb_checkpoints
            '--LabApp.expose_app_in_browser=True')
    # `make -o install lab`: the recipe `make lab` runs, without re-checking the install (the test suite has done it).
    cmd = ['make', '-s', '--no-print-directory', '-o', 'install', 'lab', f'LAB_ARGS={args}', *a.makevars]
    before = snapshot(nb)
    log = open(tmp/'server.log', 'w')
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base, fails, cells = f'http://127.0.0.1:{port}/', [], []
    try:
        if not wait_ready(base, token, proc): fails.append('JupyterLab did not start (as `make lab` runs it)')
        else:
            from playwright.sync_api import Error as PlaywrightError
            try: cells = browse(f"{base}lab/tree/{nb.relative_to(ROOT/'nbs').as_posix()}?reset&token={token}",
                                nsteps, ncode, fails, a.screenshot)
            except PlaywrightError as e: fails.append(f'browser: {str(e).splitlines()[0]}')
            fails += server_checks(base, token)
        # A clean shutdown: the server stops its kernels and exits.
        if proc.poll() is None:
            try: api(base, token, 'api/shutdown', method='POST')
            except OSError: pass
            try: proc.wait(timeout=30)
            except subprocess.TimeoutExpired: fails.append('JupyterLab did not exit within 30 s of /api/shutdown')
    finally:
        if proc.poll() is None: os.killpg(proc.pid, signal.SIGTERM); proc.wait(timeout=30)
        try:  # the server's process group (make, jupyter, its kernels) must be empty now
            os.killpg(proc.pid, signal.SIGTERM)
            fails.append('processes of the server (kernels) ran on after it exited')
        except ProcessLookupError: pass
        log.close()
    outside = [ln for ln in netlog.read_text().splitlines() if ln.strip()]
    fails += [f'server or kernel tried to reach outside: {ln}' for ln in outside]
    after = snapshot(nb)
    fails += [f'nbs/{f} changed or appeared while the notebook ran' for f in sorted(set(before) | set(after))
              if before.get(f) != after.get(f)]
    nimg = sum('image/png' in o.get('data', {}) for c in cells for o in c['outs'])
    if cells and nimg < want_img: fails.append(f'{nimg} plots shown; the notebook stores {want_img} for these cells')
    warn = [o['text'] for c in cells for o in c['outs'] if o['output_type'] == 'stream' and o['name'] == 'stderr']
    for w in warn: print('stderr (a warning, not an error):', ''.join(w).strip()[:300])
    if fails: print((tmp/'server.log').read_text()[-3000:], file=sys.stderr)
    for f in fails: print('FAIL', f)
    shutil.rmtree(tmp, ignore_errors=True)
    print(f'make lab: {nb.name}, {len(cells)} code cells run ({nimg} plots, {len(warn)} stderr outputs), '
          f'{len(outside)} outside requests, server stopped with status {proc.returncode}, in {time.time()-t0:.0f}s: '
          f'{len(fails)} problems')
    sys.exit(1 if fails else 0)

if __name__ == '__main__': main()

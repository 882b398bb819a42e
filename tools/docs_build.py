"""Build the documentation site offline: nbdev's processors turn the committed, executed notebooks into doc pages
(`show_doc` for every export, directives hidden), then Sphinx + myst-nb render them with sphinx-book-theme
(navigation in notebook order, search, plots, tables) into `_site/`. Nothing is re-executed and nothing downloads.
Where Quarto is installed, `nbdev-docs` builds the same notebooks into `_docs/` instead (see nbs/_quarto.yml).
Usage: python tools/docs_build.py [--out _site] [--strict] [notebooks...]"""
import argparse, ast, importlib, json, re, shutil, subprocess, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Sphinx reads the processed notebooks from build/docs/ (git-ignored; not _proc/, which Quarto renders from).
NBS, SRC, CONF = ROOT/'nbs', ROOT/'build'/'docs'/'src', ROOT/'docs'

def chapters():
    "Notebooks of the site in reading order: index first, then the chapters by file name (as nbdev's sidebar)."
    nbs = sorted(p for p in NBS.glob('*.ipynb') if not p.name.startswith(('_', '.')))
    return sorted(nbs, key=lambda p: (p.name != 'index.ipynb', p.name))

def _filter():
    "nbdev's own notebook processors, with `show_doc` rendered from the exported module (docs/nbdev_procs.py)."
    from nbdev.processors import FilterDefaults, exec_show_docs
    sys.path.insert(0, str(ROOT))
    from docs.nbdev_procs import show_docs_from_module

    class Filter(FilterDefaults):
        def procs(self):  # nbdev's defaults, in their order, with exec_show_docs swapped (whatever pyproject says)
            return [show_docs_from_module if p is exec_show_docs else p for p in self.base_procs()]
    return Filter()

def _strip_rule(nb:dict):
    "Drop nbdev's horizontal rule above each show_doc entry: a docutils transition cannot sit in an output."
    for c in nb['cells']:
        for o in c.get('outputs', []):
            md = o.get('data', {}).get('text/markdown')
            if md: o['data']['text/markdown'] = re.sub(r'^\s*---\s*\n', '', ''.join(md))

_tags = {('echo', 'false'): 'remove-input', ('output', 'false'): 'remove-output', ('include', 'false'): 'remove-cell',
         ('code-fold', 'show'): 'hide-input', ('code-fold', 'true'): 'hide-input'}
_re_dir = re.compile(r'^#\|\s*([\w-]+)\s*:\s*(.*?)\s*$')

def _to_myst(nb:dict, name:str, site_url:str)->dict:
    "Turn nbdev's Quarto flavoured notebook `nb` into one myst-nb renders: front matter -> title, `#|` -> cell tags."
    cells = []
    for c in nb['cells']:
        src = ''.join(c.get('source', ''))
        if c['cell_type'] == 'raw' and src.startswith('---'):  # nbdev's front matter (title, description)
            import yaml
            fm = yaml.safe_load(src.strip().strip('-')) or {}
            md = f"# {fm.get('title', name)}\n\n" + (f"_{fm['description']}_\n" if fm.get('description') else '')
            cells.append({'cell_type': 'markdown', 'metadata': {}, 'source': md})
            continue
        if c['cell_type'] == 'markdown' and src.strip().startswith(':::'): continue  # Quarto fenced divs
        if c['cell_type'] == 'markdown' and site_url: src = src.replace(site_url, '')  # nbdev links -> this site
        if c['cell_type'] == 'code':
            lines, tags = src.splitlines(), set()
            while lines and (m := _re_dir.match(lines[0])):
                if (t := _tags.get((m[1], m[2].strip('"').lower()))): tags.add(t)
                lines.pop(0)
            src = '\n'.join(lines)
            c['metadata'] = {'tags': sorted(tags)} if tags else {}
            for o in c.get('outputs', []):
                md = o.get('data', {}).get('text/markdown')
                if md and site_url: o['data']['text/markdown'] = ''.join(md).replace(site_url, '')
        c['source'] = src
        c.pop('id', None)
        cells.append(c)
    nb['cells'] = cells
    # nbdev-clean strips notebook metadata; myst-nb needs the language to highlight code cells.
    nb['metadata'] = {'kernelspec': {'name': 'python3', 'display_name': 'Python 3', 'language': 'python'},
                      'language_info': {'name': 'python', 'pygments_lexer': 'ipython3'}}
    nb['nbformat'], nb['nbformat_minor'] = 4, 4
    return nb

def _toctree(pages:list)->dict:
    "A hidden MyST toctree cell: Sphinx's navigation (sidebar, next/previous) in notebook order."
    body = '\n'.join(pages)
    return {'cell_type': 'markdown', 'metadata': {}, 'source': f'```{{toctree}}\n:hidden:\n:maxdepth: 1\n\n{body}\n```\n'}

def process(nbs:list)->list:
    "Process notebooks `nbs` with nbdev into `build/docs/src/<page>.ipynb` (page = nbdev's output-file name)."
    from fastcore.nbio import read_nb, nb2str
    from nbdev.config import get_config
    from nbdev.doclinks import _build_modidx
    cfg = get_config()
    site_url = (cfg.get('doc_host', '') + cfg.get('doc_baseurl', '')).rstrip('/') + '/' if cfg.get('doc_host') else ''
    _build_modidx()  # nbdev's symbol index, which its processors use to link `names` in text
    if SRC.exists(): shutil.rmtree(SRC)
    SRC.mkdir(parents=True)
    filt, pages, out = _filter(), [], []
    for p in nbs:
        nb = read_nb(p)
        nb.path_ = str(p)
        filt(nb)
        fm = getattr(nb, 'frontmatter_', {}) or {}
        page = Path(fm.get('output-file', p.stem + '.html')).stem
        d = _to_myst(json.loads(nb2str(nb)), page, site_url)
        _strip_rule(d)
        out.append((page, d))
        pages.append(page)
    # Files the notebooks refer to (images in markdown cells), as nbdev's proc_nbs copies them for Quarto.
    for f in NBS.rglob('*'):
        rel = f.relative_to(NBS)
        if f.is_file() and f.suffix not in ('.ipynb', '.yml', '.css') and not any(q.startswith(('.', '_')) for q in rel.parts):
            (SRC/rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(f, SRC/rel)
    root = out[0][1]
    root['cells'].append(_toctree([pg for pg in pages[1:]]))
    for page, d in out: (SRC/f'{page}.ipynb').write_text(json.dumps(d, indent=1))
    return pages

def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('--out', default=str(ROOT/'_site'), help='site folder')
    ap.add_argument('nbs', nargs='*', help='notebooks (default: index and every chapter in nbs/)')
    ap.add_argument('--strict', action='store_true', help='Sphinx warnings are errors')
    a = ap.parse_args()
    import os; os.chdir(ROOT)
    t0 = time.time()
    nbs = [Path(p).resolve() for p in a.nbs] or chapters()
    if nbs[0].name != 'index.ipynb': sys.exit('nbs/index.ipynb (the landing page) is missing')
    pages = process(nbs)
    print(f'processed {len(pages)} notebooks with nbdev in {time.time()-t0:.0f}s: {", ".join(pages)}')
    out = Path(a.out)
    if out.exists(): shutil.rmtree(out)
    cmd = [sys.executable, '-m', 'sphinx', '-b', 'html', '-q', '-j', '2', '-c', str(CONF), str(SRC), str(out),
           '-d', str(ROOT/'build'/'docs'/'doctrees')] + (['-W', '--keep-going'] if a.strict else [])
    r = subprocess.run(cmd)
    if r.returncode: sys.exit(f'sphinx-build failed ({r.returncode})')
    print(f'site built in {time.time()-t0:.0f}s: {out}/index.html')

if __name__ == '__main__': main()

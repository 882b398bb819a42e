"""House-style check of the notebooks' exported code (issue 16): lines of at most 120 characters (the summary line
too, where nbdev makes it a module's docstring), one statement per line, one public function or class per exported
cell, and every public export followed at once (before the next exported cell) by a cell that uses it: an example or
a test. Run on all notebooks (no arguments), it also checks that settings.ini's lines (its comments are the settings'
notes, which `setting_notes` reads) are at most 120 characters.

Notebooks listed in tools/style_baseline.json may still carry the counts recorded there (the cells not yet
rewritten); a count may only go down. A notebook not listed there must be clean.
Usage: python tools/check_style.py [--update] [--verbose] [notebooks...]"""
import argparse, ast, json, re, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT/'tools'/'style_baseline.json'
MAXLEN = 120
KINDS = ('long_lines', 'joined_statements', 'packed_cells', 'untested_exports')

def _src(c): return ''.join(c['source']) if isinstance(c['source'], list) else c['source']

def _directives(src):
    "The `#| ...` directives of a cell, as a set of words."
    return {w for ln in src.splitlines() if ln.startswith('#|') for w in ln[2:].split()}

def _is_export(src): return bool(_directives(src) & {'export', 'exporti', 'exports'})

def _code(src):
    "Cell source without directives and IPython magics, parseable by `ast`."
    return '\n'.join('' if ln.lstrip().startswith(('#|', '%', '!')) else ln for ln in src.splitlines())

def _joined(tree):
    "Line numbers that hold more than one simple statement (`a = 1; b = 2`)."
    seen, out = {}, set()
    for node in ast.walk(tree):
        if isinstance(node, ast.stmt) and not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef,
                                                                    ast.If, ast.For, ast.While, ast.With, ast.Try)):
            if node.lineno in seen and seen[node.lineno] is not node: out.add(node.lineno)
            seen.setdefault(node.lineno, node)
    return out

def _public_defs(tree):
    "Names of the public functions and classes a cell defines at top level."
    return [n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            and not n.name.startswith('_')]

def check_nb(path):
    "Style findings of one notebook: {kind: [(cell index, detail)]}."
    cells = [c for c in json.loads(Path(path).read_text())['cells']]
    found = {k: [] for k in KINDS}
    head = _src(cells[0]).splitlines() if cells and cells[0]['cell_type'] == 'markdown' else []
    summary = next((ln[2:] for ln in head if ln.startswith('> ')), '')
    module = any(_src(c).startswith('#| default_exp') for c in cells if c['cell_type'] == 'code')
    if module and len(f'"""{summary}"""') > MAXLEN: found['long_lines'].append((0, 'summary (the module docstring): ' + summary[:30]))
    for i,c in enumerate(cells):
        if c['cell_type'] != 'code': continue
        src = _src(c)
        if not _is_export(src): continue
        for ln in src.splitlines():
            if len(ln) > MAXLEN: found['long_lines'].append((i, ln[:60]))
        try: tree = ast.parse(_code(src))
        except SyntaxError as e:
            found['joined_statements'].append((i, f'does not parse: {e.msg}'))
            continue
        for ln in sorted(_joined(tree)): found['joined_statements'].append((i, src.splitlines()[ln-1][:60]))
        names = _public_defs(tree)
        if len(names) > 1: found['packed_cells'].append((i, ', '.join(names)))
        after = []
        for d in cells[i+1:]:
            if d['cell_type'] != 'code': continue
            s = _src(d)
            if _is_export(s): break
            after.append(s)
        used = '\n'.join(after)
        for n in names:
            if not re.search(rf'\b{re.escape(n)}\b', used): found['untested_exports'].append((i, n))
    return found

def check_settings(path=ROOT/'settings.ini'):
    "Lines of settings.ini longer than MAXLEN, as (line number, its start)."
    return [(i, ln[:60]) for i,ln in enumerate(path.read_text().splitlines(), 1) if len(ln) > MAXLEN]

def counts(found): return {k: len(v) for k,v in found.items()}

def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('nbs', nargs='*')
    ap.add_argument('--update', action='store_true', help='record the current counts as the baseline')
    ap.add_argument('--verbose', action='store_true', help='list every finding')
    a = ap.parse_args()
    nbs = [Path(p) for p in a.nbs] or sorted(p for p in (ROOT/'nbs').glob('*.ipynb') if not p.name.startswith('_'))
    base = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
    now, bad = {}, []
    for p in nbs:
        f = check_nb(p)
        c = counts(f)
        if any(c.values()): now[p.name] = c
        allowed = base.get(p.name, {})
        over = {k: (v, allowed.get(k, 0)) for k,v in c.items() if v > allowed.get(k, 0)}
        if over: bad.append(p.name)
        if a.verbose or over:
            for k,items in f.items():
                if k in over or a.verbose:
                    for i,d in items: print(f'{p.name} cell {i}: {k}: {d}')
        if over: print(f'{p.name}: above its baseline: ' + ', '.join(f'{k} {v} > {b}' for k,(v,b) in over.items()))
    if not a.nbs:  # the whole project: settings.ini too
        for i,d in check_settings(): print(f'settings.ini line {i}: long_lines: {d}')
        if check_settings(): bad.append('settings.ini')
    if a.update:
        BASELINE.write_text(json.dumps(dict(sorted(now.items())), indent=1) + '\n')
        print(f'baseline written: {BASELINE.relative_to(ROOT)}')
        return 0
    clean = [p.name for p in nbs if p.name not in now]
    total = {k: sum(c[k] for c in now.values()) for k in KINDS}
    print(f'clean notebooks: {len(clean)} of {len(nbs)}; remaining findings: ' +
          ', '.join(f'{k} {v}' for k,v in total.items()))
    return 1 if bad else 0

if __name__ == '__main__': sys.exit(main())

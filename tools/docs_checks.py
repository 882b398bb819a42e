"""Documentation checks (no build needed):
1. notebooks are committed executed: a code cell that shows something when run (prints, plots, displays, or ends
   in a bare value) has outputs, and no chapter leaves all its example cells without outputs;
2. every exported function and class has a docstring, and every parameter a docments comment (fastcore.docments);
3. no shown code cell mixes imports with other code: nbdev-docs (Quarto) re-runs every cell with an import to render
   show_doc, so such a cell runs again, and fails when it uses a name made in a cell that does not (nbdev's FAQ).
   Not checked once pyproject's [tool.nbdev] swaps exec_show_docs for docs/nbdev_procs.py (which runs no cell).
4. stored outputs show what succeeded: no error output (a traceback), and no headline metric printed as exactly 0
   (`mAP50 0.000`, `recall: 0.0`): the docs site must not publish a failed run as the result. A cell whose zero is
   the point (a test of an empty prediction set) says so with `# zero-metric: expected` in its source.
Usage: python tools/docs_checks.py [notebooks...]   (default: index and every chapter in nbs/)"""
import argparse, ast, importlib, inspect, re, sys, warnings
from pathlib import Path
from fastcore.docments import docments
from fastcore.nbio import read_nb

ROOT = Path(__file__).resolve().parents[1]
# Cells that are definitions, hidden, or never run in tests show no output by design.
SKIP_DIRS = {'export', 'exporti', 'exports', 'hide', 'default_exp', 'cuda'}
SHOWS = {'print', 'display', 'show_doc', 'show'}  # calls that write output wherever they are in a cell
_re_dir = re.compile(r'^\s*#\|\s*([\w-]+)\s*:?\s*(.*?)\s*$')

def directives(src:str)->dict:
    "The `#| name: value` lines at the top of a cell's `src`."
    d = {}
    for l in src.splitlines():
        if not l.strip(): continue
        m = _re_dir.match(l)
        if not m: break
        d[m[1]] = m[2]
    return d

def _name(f):
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ''

def _top_nodes(tree):
    "Nodes of `tree` that run when the cell runs (not inside a def, class or lambda)."
    todo = list(tree.body)
    while todo:
        n = todo.pop()
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)): continue
        yield n
        todo.extend(ast.iter_child_nodes(n))

def expects_output(src:str)->bool:
    "Does running cell `src` show something: a print/display/show call, or a last line that is a value or a plot?"
    src = '\n'.join(l for l in src.splitlines() if not l.lstrip().startswith(('%', '!')))  # magics
    try: tree = ast.parse(src)
    except SyntaxError: return False
    if not tree.body: return False
    if any(isinstance(n, ast.Call) and _name(n.func) in SHOWS for n in _top_nodes(tree)): return True
    last = tree.body[-1]
    if not isinstance(last, ast.Expr): return False
    v = last.value
    if isinstance(v, ast.Call):  # a call shows its result only when it returns one: figures, tables and the like
        return _name(v.func).startswith(('plot', 'show', 'head', 'tail', 'describe', 'imshow'))
    return not isinstance(v, (ast.Constant, ast.Await, ast.Yield))  # a name, attribute, subscript, tuple, ...

def check_outputs(nb_path:Path)->list:
    "Problems with the committed outputs of notebook `nb_path`."
    nb, probs, n_run, n_out = read_nb(nb_path), [], 0, 0
    for i, c in enumerate(nb.cells):
        if c.cell_type != 'code' or not c.source.strip(): continue
        d = directives(c.source)
        if SKIP_DIRS & set(d) or d.get('eval', '').lower() == 'false': continue
        n_run += 1
        n_out += bool(c.get('outputs'))
        if expects_output(c.source) and not c.get('outputs'):
            first = next((l for l in c.source.splitlines() if l.strip() and not l.startswith('#|')), '')
            probs.append(f'{nb_path.name} cell {i}: no output committed (run the notebook): {first[:70]}')
    if n_run and not n_out: probs.append(f'{nb_path.name}: none of its {n_run} code cells has outputs: commit it executed')
    return probs

def check_imports(nb_path:Path)->list:
    "Cells of `nb_path` that nbdev-docs would re-run because they mix imports with other code."
    probs = []
    for i, c in enumerate(read_nb(nb_path).cells):
        if c.cell_type != 'code' or not c.source.strip(): continue
        d = directives(c.source)
        if {'export', 'exporti', 'exports', 'exec_doc', 'hide', 'default_exp'} & set(d) or d.get('eval', '').lower() == 'false': continue
        try: tree = ast.parse('\n'.join(l for l in c.source.splitlines() if not l.lstrip().startswith(('%', '!'))))
        except SyntaxError: continue
        imp = lambda n: isinstance(n, (ast.Import, ast.ImportFrom))
        if any(imp(n) for n in ast.walk(tree)) and not all(imp(n) for n in tree.body):
            first = next((l for l in c.source.splitlines() if l.strip() and not l.startswith('#|')), '')
            probs.append(f'{nb_path.name} cell {i}: imports mixed with other code (nbdev-docs re-runs it; move the '
                         f'imports to their own cell): {first[:60]}')
    return probs

_METRICS = r'(?:mAP50(?:-95)?|AP50(?:-95)?|AP|CPM|AUROC|AUC|recall|sensitivity|precision|F1)'
_re_zero = re.compile(rf'\b{_METRICS}\b\s*[:=]?\s*(?:of\s+)?0(?:\.0+)?(?![\d.])')

def _texts(c):
    "The text of every stored output of cell `c`: streams, plain/markdown/html displays, errors."
    for o in c.get('outputs', []):
        if o.get('output_type') == 'error': yield 'error', f"{o.get('ename')}: {o.get('evalue')}"
        t = o.get('text') or ''.join(o.get('data', {}).get(k, '') if isinstance(o.get('data', {}).get(k, ''), str)
                                     else ''.join(o['data'][k]) for k in ('text/plain', 'text/markdown'))
        yield o.get('name', 'display'), ''.join(t) if isinstance(t, list) else t

def check_results(nb_path:Path)->list:
    "Stored outputs of `nb_path` that show an error or a headline metric of exactly 0."
    probs = []
    for i, c in enumerate(read_nb(nb_path).cells):
        if c.cell_type != 'code': continue
        for kind, txt in _texts(c):
            if kind == 'error' or re.search(r'^Traceback \(most recent call last\)', txt, re.M):
                probs.append(f'{nb_path.name} cell {i}: stored output shows an error: {txt.strip()[:90]}')
            elif 'zero-metric: expected' not in c.source and (m := _re_zero.search(txt)):
                probs.append(f'{nb_path.name} cell {i}: stored output shows a metric of 0 ({m[0]!r}): re-run it '
                             'or mark the cell `# zero-metric: expected`')
    return probs

def _nb_of(mod)->str:
    "The notebook that module `mod` is exported from (nbdev's header line)."
    m = re.search(r'File to edit: \.\./(\S+?\.ipynb)', inspect.getsource(mod)[:2000])
    return m[1] if m else mod.__name__

def _params_undocumented(o)->list:
    "Parameters of `o` with no docments comment (self/cls and *args/**kwargs passed through are exempt)."
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        dm = docments(o, full=True)
    return [k for k, v in dm.items() if k not in ('return', 'self', 'cls') and not v.docment
            and v.get('kind') not in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)]

def check_docs(modname:str)->list:
    "Exported names of module `modname` with no docstring, or with a parameter that has no docments comment."
    mod = importlib.import_module(modname)
    nbn, probs = _nb_of(mod), []
    # CLI verbs are thin wrappers whose options are documented by `xray-yolo VERB --help` (argparse), not docments.
    verbs = {v[0] for v in getattr(mod, 'VERBS', {}).values()}
    for nm in getattr(mod, '__all__', []):
        o = getattr(mod, nm, None)
        if not (inspect.isfunction(o) or inspect.isclass(o)) or getattr(o, '__module__', '') != modname: continue
        if not (o.__doc__ or '').strip() or (inspect.isclass(o) and o.__doc__ == getattr(o.__base__, '__doc__', None)):
            probs.append(f'{nbn}: {nm} has no docstring')
        if o in verbs: continue
        if inspect.isclass(o) and '__init__' not in vars(o) and not hasattr(o, '__dataclass_fields__'): continue
        try: miss = _params_undocumented(o)
        except Exception as e:
            probs.append(f'{nbn}: {nm}: fastcore.docments cannot read its signature ({type(e).__name__}: {e}); '
                         'show_doc shows no parameter docs (a numpy-array default? use None)'); continue
        if miss: probs.append(f'{nbn}: {nm} has parameters without a docments comment: {", ".join(miss)}')
    return probs

def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('nbs', nargs='*', help='notebooks (default: index and every chapter in nbs/)')
    a = ap.parse_args()
    from nbdev.config import get_config
    cfg = get_config(ROOT/'pyproject.toml')
    sys.path.insert(0, str(ROOT))
    nbs = [Path(p).resolve() for p in a.nbs] or sorted(p for p in cfg.nbs_path.glob('*.ipynb') if not p.name.startswith(('_', '.')))
    reruns = 'exec_show_docs' not in str(cfg.get('skip_procs', ''))
    probs = [p for f in nbs for p in check_outputs(f) + check_results(f) + (check_imports(f) if reruns else [])]
    for f in nbs:  # exported modules of these notebooks
        m = re.search(r'^\s*#\|\s*default_exp\s+(\S+)', '\n'.join(c.source for c in read_nb(f).cells if c.cell_type == 'code'), re.M)
        if not m: continue
        try: probs += check_docs(f'{cfg.lib_path.name}.{m[1]}')
        except ImportError as e: probs.append(f'{f.name}: cannot import {cfg.lib_path.name}.{m[1]} ({e}): run nbdev-export')
    for p in probs: print('FAIL', p)
    print(f'{len(nbs)} notebooks checked for outputs, documented exports and import cells: {len(probs)} problems')
    sys.exit(1 if probs else 0)

if __name__ == '__main__': main()

"""nbdev processor that renders `show_doc` from the exported module instead of re-running notebook cells.

Why not nbdev's `exec_show_docs`: to render `show_doc` it re-runs every notebook cell that contains an import (in our
notebooks, cells that also build temporary data sets, train, or start apps) and fails when such a cell uses a name made
in a cell it skips. The exported module already holds every documented object, so we evaluate `show_doc(name)` against
it: no notebook code runs, and the signature and docments shown are those of the installed package.

Used by tools/docs_build.py (the offline Sphinx site) and, with these `[tool.nbdev]` settings in pyproject.toml, by
`nbdev-docs` (Quarto) too; `docs` must then be importable (PYTHONPATH=. from the repository root):
    skip_procs = "exec_show_docs"
    doc_procs = "docs.nbdev_procs:show_docs_from_module"
"""
import importlib, re
from fastcore.nbio import read_nb
from nbdev.config import get_config
from nbdev.process import Processor
from nbdev.processors import _show_docs, _get_nm
from nbdev.showdoc import show_doc

__all__ = ['show_docs_from_module']

_re_defaultexp = re.compile(r'^\s*#\|\s*default_exp\s+(\S+)', flags=re.MULTILINE)

def _module(nb):
    "Exported module of notebook `nb`, read from its file (nbdev's earlier processors strip the directive cells)."
    src = '\n'.join(c.source for c in read_nb(nb.path_).cells if c.cell_type == 'code')
    m = _re_defaultexp.search(src)
    return f'{get_config().lib_path.name}.{m[1]}' if m else None

class show_docs_from_module(Processor):
    "Fill `show_doc(name)` cells by evaluating them against the notebook's exported module."
    def begin(self):
        mod = _module(self.nb)
        try: self.ns = dict(vars(importlib.import_module(mod))) if mod else {}
        except ImportError as e: raise SystemExit(f'{self.nb.path_}: cannot import {mod} ({e}); run nbdev-export')
        self.ns['show_doc'] = show_doc

    def cell(self, cell):
        if cell.cell_type != 'code' or not cell.source: return
        trees = cell.parsed_()
        sds = _show_docs(trees) if trees else []
        if not sds or (cell.get('outputs') and not getattr(cell, 'has_sd', False)): return  # keep a stored output
        outs = []
        for t in sds:
            nm = _get_nm(t)
            try: md = show_doc(eval(nm, self.ns))._repr_markdown_()
            except Exception as e: raise RuntimeError(f'{self.nb.path_}: show_doc({nm}) failed: {e!r}') from e
            outs.append({'output_type': 'display_data', 'metadata': {}, 'data': {'text/markdown': md}})
        cell['outputs'] = outs

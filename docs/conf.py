# Sphinx configuration of the offline documentation site (`make docs`, tools/docs_build.py).
# Pages are the notebooks as nbdev processes them (into build/docs/src/); myst-nb renders their stored outputs and
# never executes them. sphinx-book-theme bundles its fonts, icons and scripts: the site needs no network.
import sys, tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_proj = tomllib.loads((ROOT/'pyproject.toml').read_text())['project']

project = 'xray-yolo'
author = 'xray-yolo developers'
copyright = 'xray-yolo developers, AGPL-3.0-or-later'
release = version = _proj['version']
root_doc = 'index'

extensions = ['myst_nb']
exclude_patterns = ['_build', '**.ipynb_checkpoints']
source_suffix = {'.ipynb': 'myst-nb', '.md': 'myst-nb'}

# The notebooks are committed executed: show their outputs as stored.
nb_execution_mode = 'off'
nb_merge_streams = True
# Markdown outputs (nbdev's show_doc) are parsed as MyST, so their headings get anchors that nbdev's links use.
nb_render_markdown_format = 'myst'
myst_heading_anchors = 3
myst_enable_extensions = ['colon_fence', 'dollarmath', 'deflist']
# show_doc headings (###) follow a chapter's ## sections or its # title directly; that is by design.
suppress_warnings = ['myst.header', 'mystnb.unknown_mime_type']

html_theme = 'sphinx_book_theme'
html_title = 'xray-yolo'
html_static_path = []
html_last_updated_fmt = None
html_copy_source = False
html_show_sourcelink = False
# pydata-sphinx-theme logs a console error on a first visit unless the colour mode is set.
html_context = {'default_mode': 'light'}
html_theme_options = {
    'repository_url': _proj.get('urls', {}).get('Repository', ''),
    'use_repository_button': False,   # a link out of an air-gapped site would not load
    'use_download_button': False,
    'use_fullscreen_button': False,
    'home_page_in_toc': True,
    'show_toc_level': 2,
    'navigation_with_keys': False,
}

# myst-nb writes the output images it extracts beside the output folder's parent (the repository root): keep them
# in git-ignored build/docs/ instead.
nb_output_folder = str(ROOT/'build'/'docs'/'jupyter_execute')

"""Write README.md from nbs/index.ipynb (nbdev's own README step needs Quarto, which air-gapped machines lack).
With --check, exit 1 when README.md differs from what index.ipynb gives."""
import json, re, sys
from pathlib import Path
ROOT = Path(__file__).resolve().parents[1]
HEAD = '<!-- Generated from nbs/index.ipynb by tools/readme.py (make readme): edit the notebook, not this file. -->\n\n'

def cell_src(c): return ''.join(c['source']) if isinstance(c['source'], list) else c['source']

def render(nb_path=ROOT/'nbs'/'index.ipynb'):
    nb = json.loads(Path(nb_path).read_text())
    out = [HEAD]
    for c in nb['cells']:
        src = cell_src(c)
        if c['cell_type'] == 'markdown': out.append(src.strip() + '\n\n'); continue
        if c['cell_type'] != 'code': continue
        lines = src.splitlines()
        directives = [l for l in lines if l.startswith('#|')]
        if any(re.match(r'#\|\s*(hide|export|exporti|exports|include:\s*false)\b', l) for l in directives): continue
        code = '\n'.join(l for l in lines if not l.startswith('#|')).strip()
        echo = not any(re.match(r'#\|\s*echo:\s*false\b', l) for l in directives)
        if code and echo: out.append(f'```python\n{code}\n```\n\n')
        for o in c.get('outputs', []):
            md = o.get('data', {}).get('text/markdown')
            if md:  # a cell that prints prose (figures read from docs/recorded/): shown as prose, not as output
                out.append((''.join(md) if isinstance(md, list) else md).strip() + '\n\n')
                continue
            txt = o.get('text') or o.get('data', {}).get('text/plain')
            if txt: out.append('```\n' + (''.join(txt) if isinstance(txt, list) else txt).rstrip() + '\n```\n\n')
    return ''.join(out).rstrip() + '\n'

if __name__ == '__main__':
    txt, readme = render(), ROOT/'README.md'
    if '--check' in sys.argv:
        if not readme.exists() or readme.read_text() != txt:
            print('README.md is out of date with nbs/index.ipynb: run `make readme` and commit.'); sys.exit(1)
        print('README.md up to date')
    else: readme.write_text(txt); print('wrote README.md')

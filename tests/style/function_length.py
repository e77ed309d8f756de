#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""No function longer than a limit in the project's own C (tests and bench aside).

Reads every .c file under the folders named on the command line. The house
style puts a function's opening and closing braces alone at column 0 (see
../shared/STYLE.md), so a body is the lines from a "{" line to the next "}"
line; its name is the identifier before the first "(" of the lines above.
A definition whose brace is not at column 0 is itself reported, so the scan
cannot be dodged by a change of style.

usage: function_length.py [--max N] [--list K] DIR...
Exit 0 when every function fits, 1 otherwise (each offender on one line:
file:line: name: N lines), 2 on bad usage.
"""
import argparse
import os
import re
import sys

DEF_SAME_LINE = re.compile(r'^[A-Za-z_][^;=]*\)\s*\{\s*$')
KEYWORDS = re.compile(r'^(if|for|while|switch|do|else|struct|union|enum)\b')
NAME = re.compile(r'([A-Za-z_]\w*)\s*\(')


def functions(path):
    """Yield (first line number, name, length in lines) for each function body."""
    with open(path, encoding='utf-8', errors='replace') as f:
        lines = f.read().split('\n')
    start = None
    for i, line in enumerate(lines):
        if DEF_SAME_LINE.match(line) and not KEYWORDS.match(line):
            yield i + 1, None, line.strip()
        if line == '{':
            head = ''
            j = i - 1
            while j >= 0 and lines[j].strip() and not lines[j].rstrip().endswith((';', '}', '*/')) \
                    and not lines[j].startswith('#'):
                head = lines[j] + ' ' + head
                j -= 1
            m = NAME.search(head)
            start = (i, m.group(1) if m else '?')
        elif line == '}' and start is not None:
            yield start[0] + 1, start[1], i - start[0] + 1
            start = None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--max', type=int, default=120)
    ap.add_argument('--list', type=int, default=0, help='also print the K longest')
    ap.add_argument('dirs', nargs='+')
    a = ap.parse_args()
    found = []
    bad = 0
    for top in a.dirs:
        if not os.path.isdir(top):
            print(f'function_length: {top}: not a folder', file=sys.stderr)
            return 2
        for dp, dn, fn in os.walk(top):
            dn.sort()
            for f in sorted(fn):
                if not f.endswith('.c'):
                    continue
                p = os.path.join(dp, f)
                for line, name, n in functions(p):
                    if name is None:
                        print(f'{p}:{line}: function brace not on a line of its own: {n}')
                        bad += 1
                        continue
                    found.append((n, p, line, name))
                    if n > a.max:
                        print(f'{p}:{line}: {name}: {n} lines (limit {a.max})')
                        bad += 1
    found.sort(reverse=True)
    for n, p, line, name in found[:a.list]:
        print(f'longest: {p}:{line}: {name}: {n} lines')
    print(f'function_length: {len(found)} functions, {bad} over {a.max} lines')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())

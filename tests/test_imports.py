"""The package's import graph is a DAG: no module imports, at any depth of its code, a module
that imports it back. Read from the source with `ast`, so an import hidden inside a function
counts as much as one at the top."""
import ast
import os
import subprocess
import sys

import numpy as np

import mxsym

PACKAGE_DIR = os.path.dirname(os.path.abspath(mxsym.__file__))


def module_files():
    """{dotted module name: source path} for every module of the package."""
    found = {}
    for folder, _, files in os.walk(PACKAGE_DIR):
        for name in files:
            if not name.endswith('.py'):
                continue
            path = os.path.join(folder, name)
            parts = os.path.relpath(path, os.path.dirname(PACKAGE_DIR))[:-3].split(os.sep)
            if parts[-1] == '__init__':
                parts.pop()
            found['.'.join(parts)] = path
    return found


def imported_modules(module, path, modules):
    """The package's modules that `module` imports anywhere in its code."""
    package = module if path.endswith('__init__.py') else module.rpartition('.')[0]
    targets = set()
    for node in ast.walk(ast.parse(open(path).read(), path)):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ''
            if node.level:
                anchor = package.rsplit('.', node.level - 1)[0] if node.level > 1 else package
                base = '%s.%s' % (anchor, base) if base else anchor
            targets.update('%s.%s' % (base, alias.name) if '%s.%s' % (base, alias.name)
                           in modules else base for alias in node.names)
    return {target for target in targets if target in modules and target != module}


def find_cycle(graph):
    """One cycle of the directed graph as a list of nodes (first repeated last), or None."""
    state = {}
    for start in sorted(graph):
        if start in state:
            continue
        path, stack = [start], [iter(sorted(graph[start]))]
        state[start] = 'open'
        while stack:
            step = next(stack[-1], None)
            if step is None:
                state[path.pop()] = 'done'
                stack.pop()
            elif state.get(step) == 'open':
                return path[path.index(step):] + [step]
            elif step not in state:
                state[step] = 'open'
                path.append(step)
                stack.append(iter(sorted(graph[step])))
    return None


def test_find_cycle_finds_one_and_only_one():
    assert find_cycle({'a': {'b'}, 'b': {'c'}, 'c': set()}) is None
    assert find_cycle({'a': {'b'}, 'b': {'c'}, 'c': {'a'}}) == ['a', 'b', 'c', 'a']


def test_import_graph_has_no_cycle():
    modules = module_files()
    graph = {name: imported_modules(name, path, modules) for name, path in modules.items()}
    cycle = find_cycle(graph)
    assert cycle is None, 'import cycle: %s' % ' -> '.join(cycle)


def test_import_leaves_numpy_global_random_state_alone():
    """A script that seeds NumPy and then imports the package draws what it would draw
    without it (as with MXNet): JAX's import draws from NumPy's generator."""
    code = ('import numpy as np; np.random.seed(7); import mxsym; '
            'print(repr(np.random.random()))')
    drawn = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True,
                           check=True).stdout.split()[-1]
    assert float(drawn) == np.random.RandomState(7).random_sample()

"""examples/symbol_tutorial.ipynb run through a real Jupyter kernel, its outputs checked against
what MXNet 1.9.1 printed for the same tutorial blocks (tests/golden/tutorial.json)."""
import json
import os
import re
import shutil

import nbclient
import nbformat

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir, os.pardir))
NOTEBOOK = os.path.join(ROOT, 'examples', 'symbol_tutorial.ipynb')
with open(os.path.join(ROOT, 'tests', 'golden', 'tutorial.json')) as f:
    GOLDEN_STDOUT = json.load(f)['example_stdout']


def golden_blocks():
    """{block title: the lines MXNet printed for it}, from the tutorial's ``## title`` lines. The
    golden run's graphviz ended DOT sources without a newline, so empty lines are dropped."""
    blocks, title = {}, None
    for line in GOLDEN_STDOUT.splitlines():
        if line.startswith('## '):
            title = line[3:]
            blocks[title] = []
        elif line:
            blocks[title].append(line)
    return blocks


BLOCKS = golden_blocks()


def stdout_lines(cell):
    text = ''.join(out['text'] for out in cell.outputs
                   if out['output_type'] == 'stream' and out['name'] == 'stdout')
    return [line for line in text.splitlines() if line]


def svg_of(cell):
    [svg] = [out['data']['image/svg+xml'] for out in cell.outputs
             if 'image/svg+xml' in out.get('data', {})]
    return svg


def tutorial_cells(notebook):
    return {cell.metadata['tutorial_block']: cell for cell in notebook.cells
            if 'tutorial_block' in cell.metadata}


def test_notebook_has_every_tutorial_block():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    assert list(tutorial_cells(notebook)) == list(BLOCKS)


def dot_labels(dot_lines):
    """Each node's label lines in a DOT source printed by MXNet."""
    labels = []
    for match in re.finditer(r'^\t(?:"[^"]*"|\S+) \[label=("[^"]*"|\S+)', '\n'.join(dot_lines),
                             re.M):
        labels.append(match.group(1).strip('"').split('\n'))
    return labels


def block_mismatch(cell, want):
    """Why a tutorial cell's output differs from what MXNet showed for its block, or None.
    Printing cells print MXNet's text; plotting cells show a picture of MXNet's graph: every
    node label and edge shape label of MXNet's DOT source is in the SVG."""
    if not want[0].startswith('digraph'):
        return None if stdout_lines(cell) == want else 'printed %r' % stdout_lines(cell)
    svg = svg_of(cell)
    labels = [line for label in dot_labels(want) for line in label]
    labels += re.findall(r'label=(\d[\dx]*) arrowtail', '\n'.join(want))
    missing = [label for label in labels if '>%s</text>' % label not in svg]
    if stdout_lines(cell) or not labels or missing:
        return 'printed %r, picture lacks %r' % (stdout_lines(cell), missing)
    return None


def test_notebook_runs_in_a_kernel_and_shows_what_mxnet_shows(tmp_path):
    """Every cell runs in a fresh kernel (an error in a cell fails); each tutorial block shows
    what MXNet showed; a symbol displays as its graph picture while its repr is unchanged."""
    assert shutil.which('dot'), "the notebook's pictures need Graphviz's dot (apt graphviz)"
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        filter(None, [ROOT, os.environ.get('PYTHONPATH')])))
    nbclient.NotebookClient(notebook, timeout=300, kernel_name='python3').execute(
        cwd=str(tmp_path), env=env)
    assert not list(tmp_path.iterdir()), 'the notebook writes only into temporary directories'

    mismatches = {block: block_mismatch(cell, BLOCKS[block])
                  for block, cell in tutorial_cells(notebook).items()}
    assert not {block: why for block, why in mismatches.items() if why}

    display, printed = [cell for cell in notebook.cells if cell.metadata.get('rich_display')]
    [result] = display.outputs
    assert result['data']['text/plain'] == '<Symbol out>'
    svg = result['data']['image/svg+xml']
    for text in ('>FullyConnected</text>', '>128</text>', '>relu</text>', '>out_label</text>',
                 '<title>fc2</title>', 'fill="#fb8072"'):
        assert text in svg, text
    assert stdout_lines(printed) == ['<Symbol out>']

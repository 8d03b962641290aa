"""``mxsym im2rec`` against MXNet's tools/im2rec.py on the same image folder: the same list,
and records whose headers and images are MXNet's."""
import io
import shutil

import numpy as np

import mxsym as mx
from mxsym import cli
from recordio_golden import path


def _run(*argv):
    out = io.StringIO()
    status = cli.main(list(argv), out=out)
    return status, out.getvalue()


def test_list_and_pack_like_mxnets_tool(tmp_path):
    prefix = str(tmp_path / 'data')
    status, said = _run('im2rec', '--list', '--recursive', prefix, path('images'))
    assert status == 0 and said.splitlines() == ['class0 0', 'class1 1', 'class2 2']
    with open(prefix + '.lst') as mine, open(path('data.lst')) as ref:
        assert mine.read() == ref.read()
    status, said = _run('im2rec', '--resize', '24', '--quality', '90', '--num-thread', '2',
                        prefix, path('images'))
    assert status == 0 and '24 images packed' in said
    mine = mx.recordio.MXIndexedRecordIO(prefix + '.idx', prefix + '.rec', 'r')
    ref = mx.recordio.MXIndexedRecordIO(path('data.idx'), path('data.rec'), 'r')
    assert mine.keys == ref.keys
    for key in ref.keys:
        mine_header, mine_img = mx.recordio.unpack_img(mine.read_idx(key))
        ref_header, ref_img = mx.recordio.unpack_img(ref.read_idx(key))
        assert mine_header == ref_header
        # the same OpenCV JPEG encoder gives the same bytes; another libjpeg build may not
        assert np.abs(mine_img.astype(int) - ref_img).max() <= 2


def test_split_lists_pass_through_and_an_unreadable_image(tmp_path):
    root = tmp_path / 'images'
    shutil.copytree(path('images'), root)
    prefix = str(tmp_path / 'split')
    status, _ = _run('im2rec', '--list', '--recursive', '--train-ratio', '0.5',
                     '--test-ratio', '0.25', prefix, str(root))
    assert status == 0
    counts = [len(open(prefix + part).read().splitlines())
              for part in ('_train.lst', '_test.lst', '_val.lst')]
    assert counts == [12, 6, 6]
    status, _ = _run('im2rec', '--pass-through', prefix + '_train', str(root))
    assert status == 0
    record = mx.recordio.MXIndexedRecordIO(prefix + '_train.idx', prefix + '_train.rec', 'r')
    for line in open(prefix + '_train.lst').read().splitlines():
        fields = line.split('\t')
        header, payload = mx.recordio.unpack(record.read_idx(int(fields[0])))
        assert header.label == float(fields[1]) and header.id == int(fields[0])
        assert payload == (root / fields[-1]).read_bytes()
    (root / 'broken.jpg').write_bytes(b'not an image')
    (tmp_path / 'mixed.lst').write_text('0\t1.0\tclass0/img00.png\n1\t2.0\tbroken.jpg\n')
    status, _ = _run('im2rec', str(tmp_path / 'mixed'), str(root))
    assert status == 1
    assert mx.recordio.MXIndexedRecordIO(str(tmp_path / 'mixed.idx'),
                                         str(tmp_path / 'mixed.rec'), 'r').keys == [0]
    status, said = _run('im2rec', str(tmp_path / 'nothing'), str(root))
    assert status == 1 and 'Did not find' in said

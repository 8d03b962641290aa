"""Record RecordIO, image and data-iterator golden data from MXNet 1.9.1 into
tests/golden/recordio/: synthetic JPEG/PNG images in class folders, the lists and records
MXNet's tools/im2rec.py makes of them, records written by MXIndexedRecordIO, small MNIST,
CSV and LibSVM files, and what MXNet reads from all of them (decoded pixels, iterator
batches; exact results as SHA-256 of the bytes, near ones as arrays).

    PYTHONPATH=<dir with opencv-python-headless<4.9> \\
        bash ../shared/tools/mxref.sh tests/golden/make_recordio_golden.py MXNET/tools/im2rec.py

(OpenCV is what MXNet's im2rec.py and pack_img import; MXNet's own decoder is built in.)
"""
import gzip
import hashlib
import json
import os
import shutil
import struct
import subprocess
import sys

import cv2
import mxnet as mx
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from image_record_cases import IMAGE_RECORD_CASES  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, 'recordio')
MAGIC = b'\x0a\x23\xd7\xce'

# payloads that exercise the record format: empty, every length mod 4, the magic word at
# aligned and unaligned offsets (split records), and image-record headers with label arrays
PAYLOADS = [b'', b'a', b'ab', b'abc', b'abcd', b'abcde', MAGIC, b'xy' + MAGIC + b'z',
            b'abcd' + MAGIC + b'efgh' + MAGIC + b'ij' + MAGIC, MAGIC + MAGIC, b'q' * 37]


def sha(array):
    array = np.ascontiguousarray(array)
    return hashlib.sha256(str(array.dtype).encode() + str(array.shape).encode()
                          + array.tobytes()).hexdigest()


def make_images(root):
    """24 small images in three class folders: smooth gradients with noise, JPEG and PNG,
    color and one gray."""
    rng = np.random.RandomState(7)
    names = []
    for i in range(24):
        h, w = rng.randint(18, 44, size=2)
        yy, xx = np.mgrid[0:h, 0:w]
        img = np.stack([xx * 255 // w, yy * 255 // h, (xx * 3 + yy * 5 + i * 11) % 256], -1)
        img = np.clip(img + rng.randint(-25, 25, img.shape), 0, 255).astype(np.uint8)
        folder = os.path.join(root, 'class%d' % (i % 3))
        os.makedirs(folder, exist_ok=True)
        ext = '.png' if i % 4 == 0 else '.jpg'
        if i == 5:
            img = img[:, :, 1]
        name = os.path.join(folder, 'img%02d%s' % (i, ext))
        cv2.imwrite(name, img, [cv2.IMWRITE_JPEG_QUALITY, 85] if ext == '.jpg' else [])
        names.append(os.path.relpath(name, root))
    return names


def im2rec(tool, *args):
    subprocess.run([sys.executable, tool] + list(args), check=True, cwd=OUT,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def write_records():
    writer = mx.recordio.MXIndexedRecordIO(os.path.join(OUT, 'payloads.idx'),
                                           os.path.join(OUT, 'payloads.rec'), 'w')
    for i, payload in enumerate(PAYLOADS):
        writer.write_idx(i * 7 + 1, payload)
    for i, label in enumerate([2.5, [1.0, -2.0, 3.5], np.arange(5, dtype=np.float32)]):
        writer.write_idx(100 + i, mx.recordio.pack(mx.recordio.IRHeader(0, label, 40 + i, 9),
                                                    b'image bytes %d' % i))
    writer.close()


def iterator_batches(iterator, epochs=2):
    batches = []
    for _ in range(epochs):
        for batch in iterator:
            batches.append((batch.data[0].asnumpy(), batch.label[0].asnumpy(), batch.pad))
        iterator.reset()
    return batches


def record_iterators(golden, arrays):
    for name, kwargs in IMAGE_RECORD_CASES.items():
        it = mx.io.ImageRecordIter(path_imgrec=os.path.join(OUT, 'data.rec'), batch_size=5,
                                   **{k: (os.path.join(OUT, v) if k == 'path_imgidx' else v)
                                      for k, v in kwargs.items()})
        batches = iterator_batches(it)
        golden['image_record/' + name] = {
            'provide_data': [list(d.shape) for d in it.provide_data],
            'provide_label': [list(d.shape) for d in it.provide_label],
            'pads': [b[2] for b in batches],
            'labels': [b[1].tolist() for b in batches],
            'data_sha256': [sha(b[0]) for b in batches]}
        if name in ('bicubic', 'normalized'):
            arrays['image_record/' + name] = np.stack([b[0] for b in batches[:3]])
    it = mx.io.ImageRecordIter(path_imgrec=os.path.join(OUT, 'multi.rec'), batch_size=2,
                               data_shape=(3, 16, 16), resize=16, label_width=2, dtype='uint8')
    batches = iterator_batches(it, epochs=1)
    golden['image_record/label_width'] = {
        'labels': [b[1].tolist() for b in batches], 'pads': [b[2] for b in batches],
        'data_sha256': [sha(b[0]) for b in batches]}


def image_functions(golden, arrays, names):
    decoded = {}
    for name in names:
        with open(os.path.join(OUT, 'images', name), 'rb') as fin:
            buf = fin.read()
        decoded[name] = [sha(mx.image.imdecode(buf).asnumpy()),
                         sha(mx.image.imdecode(buf, flag=0).asnumpy()),
                         sha(mx.image.imdecode(buf, to_rgb=0).asnumpy())]
    golden['imdecode'] = decoded
    img = mx.image.imread(os.path.join(OUT, 'images', names[1]))
    for interp in range(5):
        for w, h in ((13, 29), (50, 41)):
            arrays['imresize/%d/%dx%d' % (interp, w, h)] = \
                mx.image.imresize(img, w, h, interp=interp).asnumpy()
    arrays['imresize/float'] = mx.image.imresize(img.astype('float32'), 17, 11).asnumpy()
    arrays['resize_short'] = mx.image.resize_short(img, 15).asnumpy()
    arrays['center_crop'] = mx.image.center_crop(img, (12, 9))[0].asnumpy()
    arrays['fixed_crop'] = mx.image.fixed_crop(img, 2, 3, 10, 8, size=(20, 16)).asnumpy()
    for border in range(5):
        arrays['copyMakeBorder/%d' % border] = mx.image.copyMakeBorder(
            img, 1, 2, 3, 4, type=border, values=[9, 8, 7]).asnumpy()
    it = mx.image.ImageIter(4, (3, 16, 16), path_imgrec=os.path.join(OUT, 'data.rec'),
                            path_imgidx=os.path.join(OUT, 'data.idx'), resize=20,
                            mean=True, std=True)
    batches = iterator_batches(it, epochs=1)
    arrays['image_iter/data'] = np.stack([b[0] for b in batches[:2]])
    golden['image_iter'] = {'labels': [b[1].tolist() for b in batches],
                            'pads': [b[2] for b in batches]}


def mnist(golden, arrays):
    rng = np.random.RandomState(3)
    images = rng.randint(0, 256, (53, 6, 5)).astype(np.uint8)
    labels = (np.arange(53) * 7 % 10).astype(np.uint8)
    image_bytes = struct.pack('>IIII', 2051, 53, 6, 5) + images.tobytes()
    label_bytes = struct.pack('>II', 2049, 53) + labels.tobytes()
    with open(os.path.join(OUT, 'mnist-images-idx3-ubyte'), 'wb') as fout:
        fout.write(image_bytes)
    with open(os.path.join(OUT, 'mnist-labels-idx1-ubyte.gz'), 'wb') as fout:
        fout.write(gzip.compress(label_bytes, mtime=0))
    with open(os.path.join(OUT, 'mnist-labels-idx1-ubyte'), 'wb') as fout:
        fout.write(label_bytes)
    cases = {'shuffle_flat': dict(batch_size=8, shuffle=True, flat=True, seed=3),
             'shuffle_default_seed': dict(batch_size=10),
             'ordered_part': dict(batch_size=4, shuffle=False, num_parts=3, part_index=1)}
    for name, kwargs in cases.items():
        it = mx.io.MNISTIter(image=os.path.join(OUT, 'mnist-images-idx3-ubyte'),
                             label=os.path.join(OUT, 'mnist-labels-idx1-ubyte'), silent=True,
                             **kwargs)
        batches = iterator_batches(it)
        arrays['mnist/%s/data' % name] = np.stack([b[0] for b in batches])
        arrays['mnist/%s/label' % name] = np.stack([b[1] for b in batches])
        golden['mnist/' + name] = {'provide_data': list(it.provide_data[0].shape)}
    os.remove(os.path.join(OUT, 'mnist-labels-idx1-ubyte'))   # the test reads the gzip one


def text_iterators(golden, arrays):
    with open(os.path.join(OUT, 'data.csv'), 'w') as fout:
        for i in range(11):
            fout.write(','.join('%g' % (i * 1.5 - j * 0.25) for j in range(6)) + '\n')
    with open(os.path.join(OUT, 'label.csv'), 'w') as fout:
        for i in range(11):
            fout.write('%d,%d\n' % (i, -i))
    cases = {'wrap': dict(data_shape=(2, 3), label_csv='label.csv', label_shape=(2,),
                          batch_size=4),
             'no_round': dict(data_shape=(6,), batch_size=4, round_batch=False),
             'int32': dict(data_shape=(6,), batch_size=5, dtype='int32')}
    for name, kwargs in cases.items():
        if 'label_csv' in kwargs:
            kwargs['label_csv'] = os.path.join(OUT, kwargs['label_csv'])
        it = mx.io.CSVIter(data_csv=os.path.join(OUT, 'data.csv'), **kwargs)
        batches = iterator_batches(it)
        arrays['csv/%s/data' % name] = np.stack([b[0] for b in batches])
        arrays['csv/%s/label' % name] = np.stack([b[1] for b in batches])
        golden['csv/' + name] = {'pads': [b[2] for b in batches]}
    with open(os.path.join(OUT, 'data.libsvm'), 'w') as fout:
        fout.write('1 0:0.5 3:1.25\n0\n2 1:-1 2:2 4:0.75\n1 4:3\n0 0:1 1:1\n3 2:0.5\n1\n')
    with open(os.path.join(OUT, 'label.libsvm'), 'w') as fout:
        fout.write('0 0:1\n0 1:1\n0\n0 0:0.5 1:0.5\n0 1:2\n0 0:3\n0 1:1\n')
    for name, kwargs in {'labels_in_data': {},
                         'label_file': dict(label_libsvm='label.libsvm',
                                            label_shape=(2,))}.items():
        if 'label_libsvm' in kwargs:
            kwargs['label_libsvm'] = os.path.join(OUT, kwargs['label_libsvm'])
        it = mx.io.LibSVMIter(data_libsvm=os.path.join(OUT, 'data.libsvm'), data_shape=(5,),
                              batch_size=3, **kwargs)
        batches = iterator_batches(it)
        arrays['libsvm/%s/data' % name] = np.stack([b[0] for b in batches])
        arrays['libsvm/%s/label' % name] = np.stack([b[1] for b in batches])
        golden['libsvm/' + name] = {'pads': [b[2] for b in batches]}


def main():
    tool = sys.argv[1]
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    names = make_images(os.path.join(OUT, 'images'))
    im2rec(tool, '--list', '--recursive', 'data', 'images')
    im2rec(tool, '--resize', '24', '--quality', '90', '--num-thread', '1', 'data', 'images')
    with open(os.path.join(OUT, 'multi.lst'), 'w') as fout:
        for i, name in enumerate(names[:5]):
            fout.write('%d\t%f\t%f\t%s\n' % (i, i % 3, i * 0.5, name))
    im2rec(tool, '--pack-label', '--encoding', '.png', 'multi', 'images')
    os.remove(os.path.join(OUT, 'multi.idx'))
    write_records()
    golden, arrays = {}, {}
    record_iterators(golden, arrays)
    image_functions(golden, arrays, names)
    mnist(golden, arrays)
    text_iterators(golden, arrays)
    with open(os.path.join(OUT, 'golden.json'), 'w') as fout:
        json.dump(golden, fout, indent=1, sort_keys=True)
    np.savez_compressed(os.path.join(OUT, 'golden.npz'), **arrays)


if __name__ == '__main__':
    main()

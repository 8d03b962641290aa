"""Images per second of `mx.io.ImageRecordIter` (decode + augment + batch, 224 px), mxsym
against MXNet 1.9.1 on the same machine and the same .rec file.

    python benchmarks/bench_image_record_iter.py [--mxnet-python PYTHON_WITH_MXNET]
        [--images 512] [--batch-size 64] [--threads 2] [--epochs 2]

Packs `--images` synthetic JPEG photos (about 320x260, quality 90) into a .rec with mxsym's
`recordio.pack_img`, then in a fresh process per framework times `--epochs` passes of
ImageRecordIter(data_shape=(3, 224, 224), resize=256, rand_crop, rand_mirror, mean/std
normalization, float32) after one warm-up batch, reading each batch's data as numpy.
Prints a markdown table: images/s per framework and mxsym/MXNet.
"""
import argparse
import json
import os
import sys
import tempfile
import time

from fresh_process import measured

HERE = os.path.dirname(os.path.abspath(__file__))
ITER_ARGS = dict(data_shape=(3, 224, 224), resize=256, rand_crop=True, rand_mirror=True,
                 mean_r=123.68, mean_g=116.28, mean_b=103.53, std_r=58.395, std_g=57.12,
                 std_b=57.375)


def make_record_file(path, count):
    """`count` smooth, noisy 320x260-ish JPEG images with labels 0-9."""
    import numpy as np
    sys.path.insert(0, os.path.join(HERE, os.pardir))
    from mxsym import recordio
    rng = np.random.RandomState(0)
    writer = recordio.MXIndexedRecordIO(path[:-4] + '.idx', path, 'w')
    for i in range(count):
        h, w = 240 + rng.randint(0, 40), 300 + rng.randint(0, 40)
        yy, xx = np.mgrid[0:h, 0:w]
        img = np.stack([xx * 255 // w, yy * 255 // h, (xx + yy + i * 13) % 256], -1)
        img = np.clip(img + rng.randint(-30, 30, img.shape), 0, 255).astype(np.uint8)
        writer.write_idx(i, recordio.pack_img((0, float(i % 10), i, 0), img, quality=90))
    writer.close()


def worker(framework, rec, batch_size, threads, epochs):
    """Run in a fresh process: images/s of the iterator under `framework`."""
    mx = __import__(framework)
    it = mx.io.ImageRecordIter(path_imgrec=rec, batch_size=batch_size,
                               preprocess_threads=threads, **ITER_ARGS)
    it.next().data[0].asnumpy()   # warm-up: thread start, first reads
    it.reset()
    images = 0
    start = time.perf_counter()
    for _ in range(epochs):
        for batch in it:
            batch.data[0].asnumpy()
            images += batch_size - batch.pad
        it.reset()
    return images / (time.perf_counter() - start)


def timed_in(python, framework, args, rec):
    command = [python, os.path.abspath(__file__), '--worker', framework, '--rec', rec,
               '--batch-size', str(args.batch_size), '--threads', str(args.threads),
               '--epochs', str(args.epochs)]
    return measured(command)['images_per_s']


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--mxnet-python', help='a python with MXNet 1.9.1 for the comparison')
    parser.add_argument('--images', type=int, default=512)
    parser.add_argument('--batch-size', type=int, default=64)
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--epochs', type=int, default=2)
    parser.add_argument('--worker', help=argparse.SUPPRESS)
    parser.add_argument('--rec', help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        rate = worker(args.worker, args.rec, args.batch_size, args.threads, args.epochs)
        print(json.dumps({'images_per_s': rate}))
        return
    with tempfile.TemporaryDirectory() as tmp:
        rec = os.path.join(tmp, 'bench.rec')
        make_record_file(rec, args.images)
        rates = {'mxsym': timed_in(sys.executable, 'mxsym', args, rec)}
        if args.mxnet_python:
            rates['MXNet'] = timed_in(args.mxnet_python, 'mxnet', args, rec)
    print('ImageRecordIter, %d images of ~320x260 JPEG -> 224x224 float32, batch %d, '
          '%d threads, %d epochs\n' % (args.images, args.batch_size, args.threads, args.epochs))
    print('| framework | images/s |')
    print('|---|---|')
    for name, rate in rates.items():
        print('| %s | %.0f |' % (name, rate))
    if 'MXNet' in rates:
        print('| mxsym/MXNet | %.2f |' % (rates['mxsym'] / rates['MXNet']))


if __name__ == '__main__':
    main()

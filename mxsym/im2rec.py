"""``mxsym im2rec``: MXNet's ``tools/im2rec.py`` workflow without MXNet. With ``--list``,
write ``PREFIX.lst`` (index, label, relative path; tab separated) for the images under ROOT,
the label being the sub-folder's number with ``--recursive``; otherwise pack every
``PREFIX*.lst`` into ``.rec`` + ``.idx`` files, images re-encoded (resized, center-cropped)
by OpenCV in worker threads, or passed through as they are. Lists, records and indexes come
out byte for byte as MXNet's tool writes them."""
import os
import random
import sys
from concurrent.futures import ThreadPoolExecutor

from . import recordio
from .base import MXNetError
from .opencv import cv2_module


def add_arguments(parser):
    parser.add_argument('root', help='folder holding the images')
    lists = parser.add_argument_group('making image lists (--list)')
    lists.add_argument('--list', action='store_true',
                       help='make a .lst file of the images under ROOT instead of packing')
    lists.add_argument('--exts', nargs='+', default=['.jpeg', '.jpg', '.png'],
                       help='image file extensions to list')
    lists.add_argument('--chunks', type=int, default=1, help='number of lists to split into')
    lists.add_argument('--train-ratio', type=float, default=1.0,
                       help='fraction of each list for PREFIX_train.lst')
    lists.add_argument('--test-ratio', type=float, default=0,
                       help='fraction of each list for PREFIX_test.lst')
    lists.add_argument('--recursive', action='store_true',
                       help='walk sub-folders; each sub-folder is a class label')
    lists.add_argument('--no-shuffle', dest='shuffle', action='store_false',
                       help='keep the listing order (default: shuffled with seed 100)')
    packing = parser.add_argument_group('packing records')
    packing.add_argument('--pass-through', action='store_true',
                         help='store the image files as they are, without re-encoding')
    packing.add_argument('--resize', type=int, default=0,
                         help='resize the shorter side to this many pixels')
    packing.add_argument('--center-crop', action='store_true',
                         help='crop the square center of each image')
    packing.add_argument('--quality', type=int, default=95,
                         help='JPEG quality (1-100) or PNG compression (0-9)')
    packing.add_argument('--num-thread', type=int, default=1,
                         help='number of threads encoding images')
    packing.add_argument('--color', type=int, default=1, choices=[-1, 0, 1],
                         help='1 color, 0 grayscale, -1 as stored (with alpha)')
    packing.add_argument('--encoding', type=str, default='.jpg', choices=['.jpg', '.png'],
                         help='image encoding in the records')
    packing.add_argument('--pack-label', action='store_true',
                         help='store every label column of the list in the record')


def list_images(root, recursive, exts):
    """(index, path relative to root, label) of the images under root, sorted; with
    `recursive`, the label numbers the folders in walk order (printed as ``folder label``)."""
    found = []
    if not recursive:
        for fname in sorted(os.listdir(root)):
            fpath = os.path.join(root, fname)
            if os.path.isfile(fpath) and os.path.splitext(fname)[1].lower() in exts:
                found.append((len(found), os.path.relpath(fpath, root), 0))
        return found, {}
    folders = {}
    for path, dirs, files in os.walk(root, followlinks=True):
        dirs.sort()
        for fname in sorted(files):
            fpath = os.path.join(path, fname)
            if os.path.isfile(fpath) and os.path.splitext(fname)[1].lower() in exts:
                folders.setdefault(path, len(folders))
                found.append((len(found), os.path.relpath(fpath, root), folders[path]))
    return found, folders


def write_list(path, items):
    """Lines ``index<TAB>label<TAB>...<TAB>path`` with labels printed as ``%f``."""
    with open(path, 'w') as fout:
        for item in items:
            labels = ''.join('%f\t' % label for label in item[2:])
            fout.write('%d\t%s%s\n' % (item[0], labels, item[1]))


def make_lists(args, out):
    """Write PREFIX[_chunk][_train|_val|_test].lst as MXNet's tool splits them."""
    items, folders = list_images(args.root, args.recursive, args.exts)
    for path, label in sorted(folders.items(), key=lambda pair: pair[1]):
        print(os.path.relpath(path, args.root), label, file=out)
    if args.shuffle:
        random.seed(100)
        random.shuffle(items)
    chunk_size = (len(items) + args.chunks - 1) // args.chunks
    for i in range(args.chunks):
        chunk = items[i * chunk_size:(i + 1) * chunk_size]
        prefix = args.prefix + ('_%d' % i if args.chunks > 1 else '')
        train = int(chunk_size * args.train_ratio)
        test = int(chunk_size * args.test_ratio)
        if args.train_ratio == 1.0:
            write_list(prefix + '.lst', chunk)
            continue
        if args.test_ratio:
            write_list(prefix + '_test.lst', chunk[:test])
        if args.train_ratio + args.test_ratio < 1.0:
            write_list(prefix + '_val.lst', chunk[test + train:])
        write_list(prefix + '_train.lst', chunk[test:test + train])


def read_list(path, out):
    """[index, path, label, ...] per line of a .lst file; malformed lines are reported on
    `out` and left out, as MXNet's tool does."""
    items = []
    with open(path) as fin:
        for line in fin:
            fields = [f.strip() for f in line.strip().split('\t')]
            if len(fields) < 3:
                print('lst should have at least has three parts, but only has %d parts for %s'
                      % (len(fields), fields), file=out)
                continue
            try:
                items.append([int(fields[0]), fields[-1]] + [float(f) for f in fields[1:-1]])
            except ValueError as err:
                print('Parsing lst met error for %s, detail: %s' % (fields, err), file=out)
    return items


def encode_item(args, item):
    """The record for one list item: its header and the (re-encoded) image."""
    label = item[2:] if len(item) > 3 and args.pack_label else item[2]
    header = recordio.IRHeader(0, label, item[0], 0)
    fullpath = os.path.join(args.root, item[1])
    if args.pass_through:
        with open(fullpath, 'rb') as fin:
            return recordio.pack(header, fin.read())
    cv2 = cv2_module()
    img = cv2.imread(fullpath, args.color)
    if img is None:
        raise MXNetError('im2rec: OpenCV cannot read the image %s' % fullpath)
    rows, cols = img.shape[:2]
    if args.center_crop:
        if rows > cols:
            margin = (rows - cols) // 2
            img = img[margin:margin + cols, :]
        else:
            margin = (cols - rows) // 2
            img = img[:, margin:margin + rows]
        rows, cols = img.shape[:2]
    if args.resize:
        if rows > cols:
            size = (args.resize, rows * args.resize // cols)
        else:
            size = (cols * args.resize // rows, args.resize)
        img = cv2.resize(img, size)
    return recordio.pack_img(header, img, quality=args.quality, img_fmt=args.encoding)


def pack_list(args, lst_path, out):
    """Pack the images of one .lst file into the .rec and .idx beside it; the number packed
    and the number that could not be read."""
    base = os.path.splitext(lst_path)[0]
    items = read_list(lst_path, out)
    record = recordio.MXIndexedRecordIO(base + '.idx', base + '.rec', 'w')
    failed = 0

    def encode(item):
        try:
            return encode_item(args, item)
        except (OSError, MXNetError) as err:
            return err

    with ThreadPoolExecutor(max(1, args.num_thread)) as pool:
        for item, packed in zip(items, pool.map(encode, items)):
            if isinstance(packed, Exception):
                print('im2rec: skipped %s: %s' % (item[1], packed), file=sys.stderr)
                failed += 1
                continue
            record.write_idx(item[0], packed)
    record.close()
    return len(items) - failed, failed


def run(args, out):
    """``--list``: write the lists; else pack every PREFIX*.lst. Exit status 1 when no list
    was found or an image could not be packed."""
    if args.list:
        make_lists(args, out)
        return 0
    working_dir = args.prefix if os.path.isdir(args.prefix) else os.path.dirname(args.prefix)
    lists = sorted(os.path.join(working_dir, f) for f in os.listdir(working_dir or '.')
                   if f.endswith('.lst'))
    lists = [f for f in lists if f.startswith(args.prefix) and os.path.isfile(f)]
    if not lists:
        print('Did not find and list file with prefix %s' % args.prefix, file=out)
        return 1
    status = 0
    for lst_path in lists:
        packed, failed = pack_list(args, lst_path, out)
        print('%s: %d images packed into %s.rec%s' % (lst_path, packed,
                                                      os.path.splitext(lst_path)[0],
                                                      ', %d skipped' % failed if failed else ''),
              file=out)
        status = status or int(failed > 0)
    return status

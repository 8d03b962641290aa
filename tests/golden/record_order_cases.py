"""The record-order cases recorded from MXNet 1.9.1 (make_record_order_golden.py) and replayed
on mxsym (tests/test_io_record_order.py): RecordIO files of tiny gray PNG images whose label is
their place in the file, and ImageRecordIter settings to read them with."""
import os
import struct
import zlib

# name: (records, bytes of padding after image i times 1 + i % 3); 'large' spans two 8 MiB
# chunks, 'medium' is cut into sub-parts by shuffle_chunk_size
FILES = {'small': (37, 0), 'medium': (300, 10000), 'large': (700, 10000)}

# (name, file, indexed, epochs, ImageRecordIter arguments); mean_img=True: a mean image
# file not there yet, which the iterator makes with a pass of its own first
CASES = [
    ('seed0_wrap', 'small', False, 4, dict(batch_size=4, seed=0, shuffle=True,
                                           preprocess_threads=1)),
    ('seed5_threads4', 'small', False, 3, dict(batch_size=8, seed=5, shuffle=True,
                                               preprocess_threads=4)),
    ('parts3', 'small', False, 3, dict(batch_size=8, seed=2, shuffle=True, num_parts=3,
                                       part_index=1)),
    ('parts2_threads2', 'small', False, 3, dict(batch_size=6, seed=11, shuffle=True,
                                                num_parts=2, part_index=0,
                                                preprocess_threads=2)),
    ('no_round_batch', 'medium', False, 3, dict(batch_size=60, seed=7, shuffle=True,
                                                round_batch=False)),
    ('no_round_batch_short', 'small', False, 3, dict(batch_size=5, seed=3, shuffle=True,
                                                     round_batch=False)),
    ('indexed', 'small', True, 3, dict(batch_size=5, seed=7, shuffle=True)),
    ('indexed_parts3', 'small', True, 3, dict(batch_size=8, seed=2, shuffle=True,
                                              num_parts=3, part_index=1)),
    ('indexed_mean_image', 'small', True, 2, dict(batch_size=5, seed=7, shuffle=True,
                                                  mean_img=True)),
    ('sub_parts_mean_image', 'medium', False, 2, dict(batch_size=64, shuffle_chunk_size=1,
                                                      shuffle_chunk_seed=4, mean_img=True)),
    ('sub_parts', 'medium', False, 3, dict(batch_size=50, seed=9, shuffle=True,
                                           shuffle_chunk_size=2, num_parts=2, part_index=1)),
    ('sub_parts_in_order', 'medium', False, 3, dict(batch_size=64, shuffle_chunk_size=1,
                                                    shuffle_chunk_seed=4)),
    ('two_chunks', 'large', False, 2, dict(batch_size=100, seed=1, shuffle=True)),
]


def png_gray(height, width):
    """A black gray-level PNG image (no OpenCV needed)."""
    rows = b''.join(b'\x00' + bytes(width) for _ in range(height))

    def chunk(kind, data):
        return (struct.pack('>I', len(data)) + kind + data
                + struct.pack('>I', zlib.crc32(kind + data)))
    return (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', width, height, 8, 0,
                                                             0, 0, 0))
            + chunk(b'IDAT', zlib.compress(rows)) + chunk(b'IEND', b''))


def write_file(recordio, rec_path, idx_path, name):
    """Write file `name` with `recordio` (MXNet's or mxsym's module): record i labelled i,
    under index key 7 i mod n."""
    count, padding = FILES[name]
    image = png_gray(2, 2)
    writer = recordio.MXIndexedRecordIO(idx_path, rec_path, 'w')
    for i in range(count):
        header = recordio.IRHeader(0, float(i), i, 0)
        writer.write_idx(i * 7 % count, recordio.pack(header, image
                                                      + bytes(padding * (1 + i % 3))))
    writer.close()


def read_labels(io, rec_path, idx_path, indexed, epochs, kwargs, records):
    """Per epoch, the labels (ints) of each batch and the pad of the last batch when it is
    short. Without round_batch (cases read the whole file of `records` records), the unfilled
    slots of a last, short batch are left out."""
    if kwargs.get('mean_img') is True:
        mean_path = rec_path + '.mean'
        if os.path.exists(mean_path):
            os.remove(mean_path)
        kwargs = dict(kwargs, mean_img=mean_path)
    it = io.ImageRecordIter(path_imgrec=rec_path, path_imgidx=idx_path if indexed else '',
                            data_shape=(1, 2, 2), **kwargs)
    out = []
    for _ in range(epochs):
        batches = [([int(x) for x in batch.label[0].asnumpy()], batch.pad) for batch in it]
        labels = [b[0] for b in batches]
        last_pad = None
        if not kwargs.get('round_batch', True):
            filled = records - (len(labels) - 1) * kwargs['batch_size']
            labels[-1] = labels[-1][:filled]
            last_pad = batches[-1][1] if filled < kwargs['batch_size'] else None
        elif batches[-1][1]:
            last_pad = batches[-1][1]
        out.append({'labels': labels, 'last_pad': last_pad})
        it.reset()
    return out

"""`mx.recordio`: MXNet's RecordIO files (``.rec``) and their ``.idx`` indexes, byte for byte.

A record on disk is the magic word 0xced7230a, a 32-bit word holding the continuation flag
(top 3 bits) and the length (low 29 bits), the bytes, then zero padding to a multiple of 4.
A payload holding the magic word at a 4-aligned offset is written as several parts, split at
each such word (flag 1 first, 2 middle, 3 last; the magic word itself is implied between the
parts), so a reader that lands anywhere in the file can find the next record start. An
``.idx`` file is one ``key<TAB>byte offset`` line per record.

Image records (`pack` / `unpack`) start with the 24-byte `IRHeader` (flag, label, id, id2);
a flag > 0 says that many float32 labels follow the header and the header's label is 0.
"""
import numbers
import os
import struct
from collections import namedtuple

import numpy as np

from .base import MXNetError
from .opencv import cv2_module

MAGIC = 0xced7230a
_MAGIC_BYTES = struct.pack('<I', MAGIC)
_LENGTH_BITS = 29
_LENGTH_MASK = (1 << _LENGTH_BITS) - 1
_WHOLE, _FIRST, _MIDDLE, _LAST = 0, 1, 2, 3


def _aligned_magic_offsets(buf):
    """Offsets of the magic word in `buf` at multiples of 4: where a record must be split."""
    offsets = []
    at = buf.find(_MAGIC_BYTES)
    while at >= 0:
        if at % 4 == 0:
            offsets.append(at)
            at = buf.find(_MAGIC_BYTES, at + 4)
        else:
            at = buf.find(_MAGIC_BYTES, at + 1)
    return offsets


def encode_record(buf):
    """The bytes of one record holding `buf`, split into parts where MXNet splits it."""
    buf = bytes(buf)
    if len(buf) > _LENGTH_MASK:
        raise MXNetError('RecordIO: a record holds at most %d bytes, got %d'
                         % (_LENGTH_MASK, len(buf)))
    cuts = _aligned_magic_offsets(buf)
    starts = [0] + [c + 4 for c in cuts]
    ends = cuts + [len(buf)]
    if len(starts) == 1:
        flags = [_WHOLE]
    else:
        flags = [_FIRST] + [_MIDDLE] * (len(starts) - 2) + [_LAST]
    out = []
    for flag, start, end in zip(flags, starts, ends):
        length = end - start
        out.append(struct.pack('<II', MAGIC, (flag << _LENGTH_BITS) | length))
        out.append(buf[start:end])
        out.append(b'\0' * (-length % 4))
    return b''.join(out)


def read_record(fin, where):
    """The payload of the record at the file position of `fin`; None at the end of the file.
    `where()` names the record for errors (file, record index)."""
    offset = fin.tell()
    parts = []
    while True:
        head = fin.read(8)
        if not head and not parts:
            return None
        if len(head) < 8:
            raise MXNetError('RecordIO: %s at byte offset %d: the file ends inside a record '
                             'header (truncated file)' % (where(), offset))
        magic, word = struct.unpack('<II', head)
        if magic != MAGIC:
            raise MXNetError('RecordIO: %s at byte offset %d: bad magic number 0x%08x '
                             '(expected 0x%08x): not a record start or a corrupt file'
                             % (where(), fin.tell() - 8, magic, MAGIC))
        flag, length = word >> _LENGTH_BITS, word & _LENGTH_MASK
        data = fin.read(length)
        if len(data) < length:
            raise MXNetError('RecordIO: %s at byte offset %d: the record says %d bytes but '
                             'the file ends after %d (truncated file)'
                             % (where(), offset, length, len(data)))
        fin.read(-length % 4)
        expected = (_WHOLE, _FIRST) if not parts else (_MIDDLE, _LAST)
        if flag not in expected:
            raise MXNetError('RecordIO: %s at byte offset %d: continuation flag %d out of '
                             'order (corrupt file)' % (where(), offset, flag))
        parts.append(data)
        if flag in (_WHOLE, _LAST):
            return _MAGIC_BYTES.join(parts)


def record_offsets(fin):
    """The byte offsets of the records of an open RecordIO file, read from their headers
    alone (continuation parts belong to the record they continue)."""
    offsets = []
    size = fin.seek(0, os.SEEK_END)
    position = 0
    while position < size:
        fin.seek(position)
        head = fin.read(8)
        if len(head) < 8:
            raise MXNetError('RecordIO: %s, record %d at byte offset %d: the file ends inside '
                             'a record header (truncated file)'
                             % (fin.name, len(offsets), position))
        magic, word = struct.unpack('<II', head)
        if magic != MAGIC:
            raise MXNetError('RecordIO: %s, record %d at byte offset %d: bad magic number '
                             '0x%08x (expected 0x%08x): not a record start or a corrupt file'
                             % (fin.name, len(offsets), position, magic, MAGIC))
        flag, length = word >> _LENGTH_BITS, word & _LENGTH_MASK
        if flag in (_WHOLE, _FIRST):
            offsets.append(position)
        position += 8 + length + (-length % 4)
    if position > size:
        raise MXNetError('RecordIO: %s, record %d at byte offset %d: the record runs past the '
                         'end of the file (truncated file)' % (fin.name, len(offsets) - 1,
                                                               offsets[-1]))
    fin.seek(0)
    return offsets


class MXRecordIO:
    """Sequential reading ('r') or writing ('w') of a RecordIO file. `read` gives the next
    record's bytes, None at the end."""

    def __init__(self, uri, flag):
        self.uri = str(uri)
        self.flag = flag
        self.pid = None
        self.is_open = False
        self.record_index = 0
        self.open()

    def open(self):
        """Open the file (a fresh, empty one in 'w' mode)."""
        if self.flag == 'w':
            mode, self.writable = 'wb', True
        elif self.flag == 'r':
            mode, self.writable = 'rb', False
        else:
            raise ValueError('Invalid flag %s' % self.flag)
        try:
            self.handle = open(self.uri, mode)
        except OSError as err:
            raise MXNetError('RecordIO: cannot open %s: %s' % (self.uri, err.strerror)) from None
        self.record_index = 0
        self.pid = os.getpid()
        self.is_open = True

    def __del__(self):
        self.close()

    def __getstate__(self):
        """Pickled as its path and mode; an open file reopens on unpickling."""
        state = dict(self.__dict__)
        state.pop('handle', None)
        state['is_open'] = self.is_open
        self.close()
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        if self.is_open:
            self.is_open = False
            self.open()

    def _check_pid(self, allow_reset=False):
        """A file object is not shared across fork: reopen in a child process (readers)."""
        if self.pid != os.getpid():
            if not allow_reset:
                raise MXNetError('RecordIO: %s was opened in another process; a writer cannot '
                                 'be used after fork' % self.uri)
            self.reset()

    def close(self):
        """Close the file (flushing what was written)."""
        if getattr(self, 'is_open', False):
            self.handle.close()
            self.is_open = False
            self.pid = None

    def reset(self):
        """Reopen at the start (in 'w' mode this empties the file)."""
        self.close()
        self.open()

    def _where(self):
        return '%s, record %d' % (self.uri, self.record_index)

    def write(self, buf):
        """Append one record holding the bytes `buf`."""
        if not self.writable:
            raise MXNetError('RecordIO: %s is open for reading' % self.uri)
        self._check_pid(allow_reset=False)
        self.handle.write(encode_record(buf))
        self.record_index += 1

    def read(self):
        """The next record's bytes, None after the last."""
        if self.writable:
            raise MXNetError('RecordIO: %s is open for writing' % self.uri)
        self._check_pid(allow_reset=True)
        buf = read_record(self.handle, self._where)
        if buf is not None:
            self.record_index += 1
        return buf


class MXIndexedRecordIO(MXRecordIO):
    """A RecordIO file with its ``.idx`` index: records read by key in any order
    (`read_idx`, `seek`), written with a key (`write_idx`). `keys` lists the keys in file
    order; `key_type` converts the index file's key text."""

    def __init__(self, idx_path, uri, flag, key_type=int):
        self.idx_path = str(idx_path)
        self.idx = {}
        self.keys = []
        self.key_type = key_type
        self.fidx = None
        self._key = None
        super().__init__(uri, flag)

    def open(self):
        super().open()
        self.idx = {}
        self.keys = []
        try:
            self.fidx = open(self.idx_path, self.flag)
        except OSError as err:
            raise MXNetError('RecordIO: cannot open index %s: %s'
                             % (self.idx_path, err.strerror)) from None
        if self.writable:
            return
        for number, line in enumerate(self.fidx, 1):
            fields = line.strip().split('\t')
            if fields == ['']:
                continue
            try:
                key, offset = self.key_type(fields[0]), int(fields[1])
            except (ValueError, IndexError):
                raise MXNetError('RecordIO: index %s line %d: expected "key<TAB>offset", got %r'
                                 % (self.idx_path, number, line.rstrip('\n'))) from None
            self.idx[key] = offset
            self.keys.append(key)

    def close(self):
        if not getattr(self, 'is_open', False):
            return
        super().close()
        self.fidx.close()

    def __getstate__(self):
        state = super().__getstate__()
        state['fidx'] = None
        return state

    def _where(self):
        if self._key is None:
            return super()._where()
        return '%s, record key %s' % (self.uri, self._key)

    def seek(self, idx):
        """Move to the record with key `idx`."""
        if self.writable:
            raise MXNetError('RecordIO: %s is open for writing' % self.uri)
        self._check_pid(allow_reset=True)
        try:
            offset = self.idx[idx]
        except KeyError:
            raise MXNetError('RecordIO: %s has no record with key %r in its index %s'
                             % (self.uri, idx, self.idx_path)) from None
        self.handle.seek(offset)
        self._key = idx

    def tell(self):
        """The byte offset of the next record read or written."""
        return self.handle.tell()

    def read_idx(self, idx):
        """The bytes of the record with key `idx`."""
        self.seek(idx)
        buf = self.read()
        if buf is None:
            raise MXNetError('RecordIO: %s, record key %r: its index offset %d is at or past '
                             'the end of the file' % (self.uri, idx, self.idx[idx]))
        self._key = None
        return buf

    def write_idx(self, idx, buf):
        """Append a record under key `idx` (also written to the index file)."""
        key = self.key_type(idx)
        offset = self.tell()
        self.write(buf)
        self.fidx.write('%s\t%d\n' % (str(key), offset))
        self.idx[key] = offset
        self.keys.append(key)


IRHeader = namedtuple('HEADER', ['flag', 'label', 'id', 'id2'])
IRHeader.__doc__ = """An image record's header: flag (the number of float32 labels that follow,
0 for one label held in `label`), label, id and id2 (64-bit record ids)."""
_IR_FORMAT = 'IfQQ'
_IR_SIZE = struct.calcsize(_IR_FORMAT)


def pack(header, s):
    """An image record: the `IRHeader` (a label array becomes flag = its size and float32
    values after the header) followed by the bytes `s`."""
    header = IRHeader(*header)
    if isinstance(header.label, numbers.Number):
        header = header._replace(flag=0)
        labels = b''
    else:
        label = np.asarray(header.label, dtype=np.float32)
        header = header._replace(flag=label.size, label=0)
        labels = label.tobytes()
    return struct.pack(_IR_FORMAT, *header) + labels + bytes(s)


def unpack(s):
    """``(IRHeader, payload bytes)`` of an image record; with flag > 0 the header's label is
    the float32 label array."""
    if len(s) < _IR_SIZE:
        raise MXNetError('recordio.unpack: an image record starts with a %d-byte header, got '
                         '%d bytes' % (_IR_SIZE, len(s)))
    header = IRHeader(*struct.unpack(_IR_FORMAT, s[:_IR_SIZE]))
    s = s[_IR_SIZE:]
    if header.flag > 0:
        if len(s) < 4 * header.flag:
            raise MXNetError('recordio.unpack: the header says %d labels but the record has '
                             '%d bytes after it' % (header.flag, len(s)))
        header = header._replace(label=np.frombuffer(s, np.float32, header.flag))
        s = s[4 * header.flag:]
    return header, s


def unpack_img(s, iscolor=-1):
    """``(IRHeader, image)``: the record's image decoded by OpenCV (numpy, BGR order;
    `iscolor` is OpenCV's imread flag: -1 as stored, 0 gray, 1 color)."""
    header, s = unpack(s)
    img = cv2_module().imdecode(np.frombuffer(s, dtype=np.uint8), iscolor)
    return header, img


def pack_img(header, img, quality=95, img_fmt='.jpg'):
    """An image record of the numpy image `img` (BGR) encoded by OpenCV as `img_fmt`
    ('.jpg' at JPEG `quality`, '.png' at compression level `quality`)."""
    cv2 = cv2_module()
    fmt = img_fmt.upper()
    if fmt in ('.JPG', '.JPEG'):
        params = [cv2.IMWRITE_JPEG_QUALITY, quality]
    elif fmt == '.PNG':
        params = [cv2.IMWRITE_PNG_COMPRESSION, quality]
    else:
        params = []
    ok, buf = cv2.imencode(img_fmt, img, params)
    if not ok:
        raise MXNetError('recordio.pack_img: OpenCV could not encode the image as %s' % img_fmt)
    return pack(header, buf.tobytes())

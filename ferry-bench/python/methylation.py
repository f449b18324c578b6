"""What the Python contenders share with Ferry: the table's dtype, dataset names, HDF5 settings.

Kept equal to Ferry's choices so the files compare: one dataset per input, named like
io.ferry.pipeline.DatasetNames (file name without directory and last extension, `.gz` removed
first), chunked at about 1 MiB of records like io.ferry.hdf5.WriteOptions.DEFAULT_CHUNK_BYTES, extendible
(maxshape=(None,)).
"""
import os

import numpy as np

DTYPE = np.dtype([('chr', 'S10'), ('pos', '<i4'), ('pct', '<f4'), ('c', '<i4'), ('t', '<i4')])
NAMES = list(DTYPE.names)
CHUNK_BYTES = 1 << 20
CHUNK_ROWS = max(1, CHUNK_BYTES // DTYPE.itemsize)


def dataset_name(path):
    name = os.path.basename(path)
    if name.endswith('.gz') and len(name) > 3:
        name = name[:-3]
    dot = name.rfind('.')
    return name[:dot] if dot > 0 else name


def compression_args(compression, shuffle):
    """h5py create_dataset keywords for `--compression none|gzip:N` and `--shuffle`."""
    kw = {}
    if compression and compression != 'none':
        algo, _, level = compression.partition(':')
        if algo != 'gzip':
            raise SystemExit('unsupported --compression %r: use none or gzip:N' % compression)
        kw['compression'] = 'gzip'
        kw['compression_opts'] = int(level or 4)
    if shuffle:
        kw['shuffle'] = True
    return kw


def write_dataset(h5, path, arr, compression, shuffle):
    """One dataset for one input, with Ferry's chunking and the requested filters."""
    h5.create_dataset(dataset_name(path), data=arr, maxshape=(None,), chunks=(CHUNK_ROWS,),
                      **compression_args(compression, shuffle))


def add_output_options(parser):
    parser.add_argument('files', nargs='+')
    parser.add_argument('-o', '--output', required=True)
    parser.add_argument('--compression', default='none', help='none or gzip:N')
    parser.add_argument('--shuffle', action='store_true')

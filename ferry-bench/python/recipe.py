"""The classic Python recipe Ferry replaces: text tables into one HDF5 file through shared memory.

Each input is parsed by np.loadtxt in a child process (one multiprocessing.Process per file, or
a Pool.map with --pool), copied into a new SharedMemory segment, and announced to the parent as
{name, shape, dtype}; the parent attaches, writes one dataset per file into one h5py file, then
closes and unlinks the segment.

    python3 recipe.py -o out.h5 [--pool [--processes N]] [--compression none|gzip:4] [--shuffle] FILE...
"""
import argparse
import multiprocessing as mp
from multiprocessing import resource_tracker
from multiprocessing.shared_memory import SharedMemory

import h5py
import numpy as np

from methylation import DTYPE, add_output_options, write_dataset


def load_into_shared_memory(path):
    """Child: parse `path`, copy the records into a new segment, return its handle."""
    arr = np.loadtxt(path, dtype=DTYPE, ndmin=1)
    shm = SharedMemory(create=True, size=max(arr.nbytes, 1))
    view = np.ndarray(arr.shape, dtype=arr.dtype, buffer=shm.buf)
    view[:] = arr
    del view
    shm.close()
    return {'file': path, 'name': shm.name, 'shape': arr.shape, 'dtype': arr.dtype.descr}


def child(path, queue):
    queue.put(load_into_shared_memory(path))


def write_from_shared_memory(h5, handle, args):
    """Parent: attach to the segment a child announced, write its dataset, free the segment."""
    shm = SharedMemory(name=handle['name'])
    try:
        arr = np.ndarray(handle['shape'], dtype=np.dtype(handle['dtype']), buffer=shm.buf)
        write_dataset(h5, handle['file'], arr, args.compression, args.shuffle)
        del arr
    finally:
        shm.close()
        shm.unlink()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    add_output_options(parser)
    parser.add_argument('--pool', action='store_true', help='Pool.map instead of one Process per file')
    parser.add_argument('--processes', type=int, default=None, help='Pool size (default: os.cpu_count())')
    args = parser.parse_args()

    # One resource tracker for the whole family: a child that started its own would unlink the
    # child's segments when the child exits, before the parent attaches.
    resource_tracker.ensure_running()
    with h5py.File(args.output, 'w') as h5:
        if args.pool:
            with mp.Pool(args.processes) as pool:
                for handle in pool.map(load_into_shared_memory, args.files):
                    write_from_shared_memory(h5, handle, args)
        else:
            queue = mp.Queue()
            procs = [mp.Process(target=child, args=(f, queue)) for f in args.files]
            for p in procs:
                p.start()
            for _ in procs:
                write_from_shared_memory(h5, queue.get(), args)
            for p in procs:
                p.join()
                if p.exitcode != 0:
                    raise SystemExit('a loader process exited with code %s' % p.exitcode)


if __name__ == '__main__':
    main()

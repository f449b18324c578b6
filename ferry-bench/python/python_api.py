"""The Python contenders of bench/python-api: one text table into a numpy array, and many into
arrays in the parent process, by numpy, pandas, the classic recipe, and the ferry package.

    python3 python_api.py MODE [--check] FILE...

MODE is one of
    loadtxt-numpy     np.loadtxt(FILE, dtype=DTYPE, delimiter='\\t', ndmin=1), the first file
    loadtxt-pandas    pandas.read_csv (C engine) of the first file, into the same structured array
    loadtxt-ferry     ferry.loadtxt(FILE, DTYPE, delimiter='\\t'), the first file
    many-recipe-process  the classic recipe, one multiprocessing.Process per file: np.loadtxt, a copy
                         into SharedMemory, {name, shape, dtype} over a Queue; the parent attaches every
                         segment (its arrays, no copy) and unlinks it
    many-recipe-pool     the same with Pool.map (os.cpu_count() processes)
    many-ferry        ferry.load_many(FILES, DTYPE, delimiter='\\t')
    each-numpy        np.loadtxt of each file, one after another (a loop over a day's files)
    each-ferry        ferry.loadtxt of each file, one after another: the JVM kept between calls
    each-ferry-jvm    the same with FERRY_KEEP_JVM=0: a JVM each (as every call was before)
    each-ferry-session  the same calls of one ferry.Session: one JVM, warm after the first

Every mode ends with its arrays in this process. --check (untimed) prints a JSON line with the
rows and the sha256 of the arrays' bytes in input order, which must be the same for every mode.
"""
import hashlib
import json
import multiprocessing as mp
import os
import sys
from multiprocessing import resource_tracker
from multiprocessing.shared_memory import SharedMemory

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from methylation import DTYPE  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def loadtxt_numpy(files):
    return [np.loadtxt(files[0], dtype=DTYPE, delimiter='\t', ndmin=1)]


def loadtxt_pandas(files):
    # Imported here, not above: each mode pays for the imports it needs and no other's (pandas
    # and h5py take about 0.25 s to import, more than some of the loads).
    from pandas_h5 import load as pandas_load
    return [pandas_load(files[0])]


def loadtxt_ferry(files):
    import ferry
    return [ferry.loadtxt(files[0], DTYPE, delimiter='\t')]


def many_ferry(files):
    import ferry
    return list(ferry.load_many(files, DTYPE, delimiter='\t').values())


def each_numpy(files):
    return [np.loadtxt(f, dtype=DTYPE, delimiter='\t', ndmin=1) for f in files]


def each_ferry(files):
    import ferry
    return [ferry.loadtxt(f, DTYPE, delimiter='\t') for f in files]


def each_ferry_jvm(files):
    os.environ['FERRY_KEEP_JVM'] = '0'
    return each_ferry(files)


def each_ferry_session(files):
    import ferry
    with ferry.Session() as s:
        return [s.loadtxt(f, DTYPE, delimiter='\t') for f in files]


def _child_load(path):
    arr = np.loadtxt(path, dtype=DTYPE, delimiter='\t', ndmin=1)
    shm = SharedMemory(create=True, size=max(arr.nbytes, 1))
    np.ndarray(arr.shape, dtype=arr.dtype, buffer=shm.buf)[:] = arr
    shm.close()
    return {'file': path, 'name': shm.name, 'shape': arr.shape, 'dtype': arr.dtype.descr}


def _child(index, path, queue):
    queue.put((index, _child_load(path)))


def _attach(handle, kept):
    shm = SharedMemory(name=handle['name'])
    shm.unlink()          # the parent has it mapped: the name can go
    kept.append(shm)      # the mapping lives as long as the array
    return np.ndarray(handle['shape'], dtype=np.dtype([tuple(f) for f in handle['dtype']]), buffer=shm.buf)


def many_recipe_process(files, kept):
    resource_tracker.ensure_running()
    queue = mp.Queue()
    procs = [mp.Process(target=_child, args=(i, f, queue)) for i, f in enumerate(files)]
    for p in procs:
        p.start()
    arrays = [None] * len(files)
    for _ in files:
        i, handle = queue.get()
        arrays[i] = _attach(handle, kept)
    for p in procs:
        p.join()
        if p.exitcode != 0:
            raise SystemExit('a loader process exited with code %s' % p.exitcode)
    return arrays


def many_recipe_pool(files, kept):
    resource_tracker.ensure_running()
    with mp.Pool() as pool:
        return [_attach(h, kept) for h in pool.map(_child_load, files)]


def main():
    args = sys.argv[1:]
    check = '--check' in args
    args = [a for a in args if a != '--check']
    mode, files = args[0], args[1:]
    kept = []
    modes = {'loadtxt-numpy': loadtxt_numpy, 'loadtxt-pandas': loadtxt_pandas, 'loadtxt-ferry': loadtxt_ferry,
             'many-ferry': many_ferry, 'each-numpy': each_numpy, 'each-ferry': each_ferry,
             'each-ferry-jvm': each_ferry_jvm,
             'each-ferry-session': each_ferry_session,
             'many-recipe-process': lambda f: many_recipe_process(f, kept),
             'many-recipe-pool': lambda f: many_recipe_pool(f, kept)}
    arrays = modes[mode](files)
    rows = [len(a) for a in arrays]
    if check:
        h = hashlib.sha256()
        for a in arrays:
            h.update(np.ascontiguousarray(a).tobytes())
        print(json.dumps({'mode': mode, 'rows': rows, 'sha256': h.hexdigest()}))
    else:
        print(json.dumps({'mode': mode, 'rows': rows}))


if __name__ == '__main__':
    main()

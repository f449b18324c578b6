"""The Python contender of HandoffBenchmark: a float64 array sent from a child through multiprocessing.Queue.

Prints one line per run: milliseconds from the child's put() to the parent's get() returning.
"""
import multiprocessing as mp
import sys
import time

import numpy as np


def child(q, n):
    a = np.arange(n, dtype="<f8")
    q.put((time.time(), a))


def main():
    gib = float(sys.argv[1])
    runs = int(sys.argv[2])
    n = int(gib * (1 << 30)) // 8
    for _ in range(runs):
        q = mp.Queue()
        p = mp.Process(target=child, args=(q, n))
        p.start()
        sent, a = q.get()
        got = time.time()
        assert a[-1] == n - 1
        print(f"{(got - sent) * 1000:.2f}", flush=True)
        del a
        p.join()


if __name__ == "__main__":
    main()

"""ferry.loadtxt and ferry.load_many against np.loadtxt, with the real ferry command."""
import contextlib
import errno
import gc
import os
import time

import h5py
import numpy as np
import pytest

import ferry
from conftest import EXAMPLES, METHYLATION, generate


def mapped_files():
    """The /dev/shm files this process maps, from /proc/self/maps."""
    with open("/proc/self/maps") as f:
        return [line.split(None, 5)[5].strip() for line in f if "/dev/shm/" in line]


def test_loadtxt_gives_numpys_values_as_an_ndarray():
    a = ferry.loadtxt(EXAMPLES / "sample1.txt", METHYLATION)
    b = np.loadtxt(EXAMPLES / "sample1.txt", dtype=METHYLATION, ndmin=1)
    assert isinstance(a, np.ndarray)
    assert a.dtype == b.dtype and a.shape == b.shape
    assert a.tobytes() == b.tobytes()
    assert (a == b).all()
    assert (a[10:20] == b[10:20]).all() and (a["pos"] == b["pos"]).all()
    assert int(a["c"].sum()) == int(b["c"].sum())
    assert type(a["c"] + 1) is np.ndarray     # results of ufuncs are plain arrays


def test_loadtxt_maps_the_segment_without_a_copy_and_leaves_no_name():
    a = ferry.loadtxt(EXAMPLES / "sample1.txt", METHYLATION)
    name = a.segment_name
    assert not os.path.exists("/dev/shm/" + name), "the name is gone once loadtxt returns"
    assert "/dev/shm/%s (deleted)" % name in mapped_files(), "numpy's array is the mapping itself"
    del a
    gc.collect()
    assert not any(name in f for f in mapped_files()), "collected: unmapped"


def test_a_gzip_file_and_loader_options():
    gz = ferry.loadtxt(EXAMPLES / "sample4.txt.gz", METHYLATION)
    assert gz.tobytes() == np.loadtxt(EXAMPLES / "sample4.txt.gz", dtype=METHYLATION, ndmin=1).tobytes()
    opts = dict(delimiter="\t", skiprows=3, usecols=(1, 3), max_rows=100)
    a = ferry.loadtxt(EXAMPLES / "sample2.txt", "<f8", **opts)
    b = np.loadtxt(EXAMPLES / "sample2.txt", dtype="<f8", ndmin=1, **opts)
    assert a.shape == b.shape == (100, 2)
    assert a.tobytes() == b.tobytes()


def test_comments_as_numpy_takes_them(tmp_path):
    f = tmp_path / "m.txt"
    f.write_text("% header\n1 2 3\n\n4 5 6 % x\n7.5 8 9\n")
    a = ferry.loadtxt(f, "<f8", comments="%")
    assert a.tobytes() == np.loadtxt(f, dtype="<f8", comments="%", ndmin=1).tobytes()
    with pytest.raises(ferry.ParseError) as e:
        ferry.loadtxt(f, "<f8", comments=None)
    assert e.value.line == 1


def test_a_plain_table_as_numpy_reads_it(tmp_path):
    f = tmp_path / "m.txt"
    f.write_text("# header\n1 2 3\n\n4 5 6\n7.5 8 9\n")
    for dt in ("<f8", "<f4", ">f8"):
        a = ferry.loadtxt(f, dt)
        b = np.loadtxt(f, dtype=dt, ndmin=1)
        assert a.shape == b.shape == (3, 3) and a.dtype == b.dtype and a.tobytes() == b.tobytes()


def test_without_a_dtype_each_function_reads_floats_as_numpy_does(tmp_path):
    f = tmp_path / "m.txt"
    f.write_text("1 2 3\n4 5 6.5\n")
    b = np.loadtxt(f)
    for a in (ferry.loadtxt(f), ferry.load_many([f])["m"]):
        assert a.dtype == b.dtype == np.float64 and a.shape == b.shape and a.tobytes() == b.tobytes()
    out = tmp_path / "m.h5"
    ferry.convert([f], out, progress=False)
    with h5py.File(out, "r") as h5:
        assert h5["m"].dtype == np.float64 and h5["m"][:].tobytes() == b.tobytes()


def test_any_ascii_character_but_a_line_break_delimits_as_numpy_takes_it(tmp_path):
    f = tmp_path / "d.txt"
    for d in ("\x7f", "\x01", "|"):   # DEL was refused, though numpy reads it and the loader takes it
        f.write_bytes(("1%s2.5\n3%s4\n" % (d, d)).encode())
        a, b = ferry.loadtxt(f, delimiter=d), np.loadtxt(f, delimiter=d)
        assert a.shape == b.shape == (2, 2) and a.tobytes() == b.tobytes()


@pytest.mark.parametrize("keep", ["0", "300"])
def test_nul_as_delimiter_or_quote_is_refused_in_ferrys_words_by_a_jvm_kept_or_not(tmp_path, monkeypatch, keep):
    # A JVM of the call's own takes them on its command line, which cannot hold a NUL: a bare
    # ValueError "embedded null byte" from subprocess, where the kept JVM said what was wrong.
    monkeypatch.setenv("FERRY_KEEP_JVM", keep)
    f = tmp_path / "g.txt"
    f.write_text("1 2\n")
    with pytest.raises(ferry.UsageError, match=r"^a delimiter is one ASCII character other than NUL"):
        ferry.loadtxt(f, delimiter="\x00")
    with pytest.raises(ferry.UsageError, match=r"^a quote character is one ASCII character other than NUL"):
        ferry.loadtxt(f, quotechar="\x00")


def test_usecols_as_numpy_takes_it_a_0_d_array_too(tmp_path):
    f = tmp_path / "g.txt"
    f.write_text("1 2 3\n4 5 6\n")
    for usecols in (np.array(1), np.int64(1), [np.array(2)], np.array([0, 2]), [True]):
        a, b = ferry.loadtxt(f, usecols=usecols), np.loadtxt(f, usecols=usecols)
        assert a.shape == b.shape and a.tobytes() == b.tobytes(), usecols
    for usecols in (np.array(True), np.array(1.0), [1.0]):   # numpy refuses them too
        with pytest.raises(TypeError):
            np.loadtxt(f, usecols=usecols)
        with pytest.raises(ferry.UsageError, match="usecols must be an int or a sequence of ints"):
            ferry.loadtxt(f, usecols=usecols)


def test_a_float_ferry_does_not_read_is_refused_in_pythons_words(tmp_path):
    f = tmp_path / "g.txt"
    f.write_text("1.5 2\n")
    for dt in ("g", np.longdouble, [("a", "g"), ("b", "<i4")], "f2"):
        with pytest.raises(ferry.UsageError, match=r"^Ferry takes .* f4, f8 and S types, not "):
            ferry.loadtxt(f, dt)


def test_a_byte_string_of_no_size_is_refused_in_pythons_words(tmp_path):
    f = tmp_path / "s.txt"
    f.write_text("ab 1\n")
    for dt in (np.bytes_, "S", [("s", "S"), ("n", "<i4")]):
        with pytest.raises(ferry.UsageError, match=r"a byte string needs its size here, such as S10"):
            ferry.loadtxt(f, dt)


def test_an_empty_file_gives_an_empty_array(tmp_path):
    f = tmp_path / "e.txt"
    f.write_text("# nothing\n")
    a = ferry.loadtxt(f, METHYLATION)
    assert a.shape == (0,) and a.dtype == np.dtype(METHYLATION)


def test_a_parse_error_names_file_line_column_field_and_text(tmp_path):
    f = tmp_path / "bad.txt"
    f.write_text("chr1\t10\t1.5\t3\t4\nchr1\t3000000000\t1.5\t3\t4\n")
    with pytest.raises(ferry.ParseError) as e:
        ferry.loadtxt(f, METHYLATION)
    err = e.value
    assert isinstance(err, ValueError) and isinstance(err, ferry.FerryError)
    assert err.path == str(f) and err.line == 2 and err.column == 6
    assert "pos" in err.field and err.text == "3000000000"
    assert str(err).startswith("%s:2:6:" % f) and "out of range" in str(err)
    assert err.exit_code == 1
    # the text as written: UTF-8 read as UTF-8 (it came as 'cafÃ©'), other bytes one character each
    g = tmp_path / "words.txt"
    g.write_bytes("1 2\ncaf\u00e9 3\n".encode())
    with pytest.raises(ferry.ParseError) as e:
        ferry.loadtxt(g, "i4")
    assert e.value.text == "caf\u00e9"
    g.write_bytes(b"1 2\ncaf\xe9 3\n")
    with pytest.raises(ferry.ParseError) as e:
        ferry.loadtxt(g, "i4")
    assert e.value.text == "caf\u00e9"


def test_a_parse_error_says_what_to_change_in_pythons_words(tmp_path):
    header = tmp_path / "header.txt"
    header.write_text("# made by hand\nchr\tpos\tpct\tc\tt\nchr1\t10\t1.5\t3\t4\n")
    with pytest.raises(ferry.ParseError) as e:
        ferry.loadtxt(header, METHYLATION)
    first, hint = str(e.value).splitlines()
    assert first.startswith("%s:2:5: field 'pos' (2 of 5): 'pos' is not an integer" % header), first
    assert hint == "hint: line 2 looks like a header (names where values go); try skiprows=2"
    assert e.value.line == 2 and e.value.text == "pos"
    a = ferry.loadtxt(header, METHYLATION, skiprows=2)     # the hint, taken
    assert a.tobytes() == np.loadtxt(header, dtype=METHYLATION, skiprows=2, ndmin=1).tobytes()
    csv = tmp_path / "t.csv"
    csv.write_text("chr1,10,1.5,3,4\n")
    with pytest.raises(ferry.ParseError) as e:
        ferry.loadtxt(csv, METHYLATION)
    assert str(e.value).splitlines()[1] == ("hint: the line holds commas, which do not separate fields without a"
                                            " delimiter; try delimiter=','")
    spaced = tmp_path / "s.txt"
    spaced.write_text("chr1 10 1.5 3 4\n")
    with pytest.raises(ferry.ParseError) as e:
        ferry.loadtxt(spaced, METHYLATION, delimiter="\t")
    assert str(e.value).splitlines()[1].endswith("; try delimiter=None")
    # numpy's default, float, on a table with a name column: read the number columns, as a tuple
    with pytest.raises(ferry.ParseError) as e:
        ferry.loadtxt(spaced, "f8")
    assert str(e.value).splitlines()[1].endswith("; try usecols=(1, 2, 3, 4)"), str(e.value)
    assert ferry.loadtxt(spaced, "f8", usecols=(1, 2, 3, 4)).tolist() == [10, 1.5, 3, 4]
    late = tmp_path / "late.txt"                          # a word on line 2 is bad data, not a header
    late.write_text("chr1\t10\t1.5\t3\t4\nchr1\tpos\t1.5\t3\t4\n")
    with pytest.raises(ferry.ParseError) as e:
        ferry.loadtxt(late, METHYLATION)
    assert "hint" not in str(e.value)
    fraction = tmp_path / "fraction.txt"                  # numpy reads 1.0 into an int through a float
    fraction.write_text("1 2\n3 1.0\n")
    with pytest.raises(ferry.ParseError) as e:
        ferry.loadtxt(fraction, "i4")
    assert str(e.value).splitlines()[1].endswith("; try lenient=True"), str(e.value)
    assert ferry.loadtxt(fraction, "i4", lenient=True).tolist() == [[1, 2], [3, 1]]


def test_lenient_gives_numpys_silent_values(tmp_path):
    f = tmp_path / "long.txt"
    f.write_text("chromosome_eleven\t10\t1.5\t3\t4\n")
    with pytest.raises(ferry.ParseError) as e:
        ferry.loadtxt(f, METHYLATION)
    assert e.value.line == 1 and e.value.text == "chromosome_eleven"
    a = ferry.loadtxt(f, METHYLATION, lenient=True)
    assert a.tobytes() == np.loadtxt(f, dtype=METHYLATION, ndmin=1).tobytes()


def test_ferrys_own_dtype_spelling_is_taken_as_the_command_takes_it():
    a = ferry.loadtxt(EXAMPLES / "sample1.txt", "chr:S10,pos:i4,pct:f4,c:i4,t:i4")
    b = np.loadtxt(EXAMPLES / "sample1.txt", dtype=METHYLATION, ndmin=1)
    assert a.dtype == b.dtype and a.tobytes() == b.tobytes()
    with pytest.raises(ferry.UsageError, match="chr:S10,pos:nope"):
        ferry.loadtxt(EXAMPLES / "sample1.txt", "chr:S10,pos:nope")


def test_errors_of_the_call(tmp_path):
    with pytest.raises(ferry.FerryError, match="no such file"):
        ferry.loadtxt(tmp_path / "missing.txt", METHYLATION)
    with pytest.raises(ferry.UsageError):
        ferry.loadtxt(EXAMPLES / "sample1.txt", METHYLATION, delimiter="ab")
    with pytest.raises(ferry.UsageError):
        ferry.loadtxt(EXAMPLES / "sample1.txt", "U10")          # numpy's, not one Ferry shares
    with pytest.raises(ferry.UsageError):
        ferry.loadtxt(EXAMPLES / "sample1.txt", METHYLATION, usecols=(0, 1))   # 2 columns for 5 fields
    with pytest.raises(ferry.UsageError):
        ferry.loadtxt(EXAMPLES / "sample1.txt", METHYLATION, skiprows=-1)


def test_a_missing_input_is_a_file_not_found_error_as_numpy_raises(tmp_path, monkeypatch):
    # It was a FerryError only, which `except FileNotFoundError:`, written for np.loadtxt, missed.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text("1 2\n")
    with pytest.raises(FileNotFoundError):
        np.loadtxt("nope.txt")
    (tmp_path / "list").write_text("a.txt\nnope.txt\n")
    session = ferry.Session()
    try:
        for call, named in ((lambda: ferry.loadtxt("nope.txt", "f8"), "nope.txt"),
                            (lambda: ferry.loadtxt(tmp_path / "nope.txt", "f8"), str(tmp_path / "nope.txt")),
                            (lambda: ferry.load_many(["a.txt", "nope.txt"], "f8"), "nope.txt"),
                            (lambda: ferry.convert(["a.txt", "nope.txt"], "o.h5", "f8", progress=False), "nope.txt"),
                            (lambda: ferry.convert([], "o.h5", "f8", inputs_from="list", progress=False), "nope.txt"),
                            # as Ferry's JVM names it
                            (lambda: ferry.convert(["a.txt", "in//"], "o.h5", "f8", progress=False), "in"),
                            (lambda: session.loadtxt("nope.txt", "f8"), "nope.txt"),
                            (lambda: session.convert(["nope.txt"], "o.h5", "f8", progress=False), "nope.txt")):
            with pytest.raises(ferry.InputNotFoundError) as e:
                call()
            assert isinstance(e.value, FileNotFoundError) and isinstance(e.value, ferry.FerryError)
            assert e.value.filename == named and e.value.errno == errno.ENOENT
            assert str(e.value).endswith(": no such file"), "Ferry's message, not OSError's: %s" % e.value
    finally:
        session.close()
    with monkeypatch.context() as env:
        env.setenv("FERRY_KEEP_JVM", "0")   # a ferry run of its own
        with pytest.raises(FileNotFoundError, match="nope.txt: no such file"):
            ferry.loadtxt("nope.txt", "f8")
    # not inputs: an output's folder, a list of inputs that is missing itself, a file to append to
    for call in (lambda: ferry.convert(["a.txt"], "no/o.h5", "f8", progress=False),
                 lambda: ferry.convert(["a.txt"], "o.h5", "f8", append=True, progress=False)):
        with pytest.raises(ferry.FerryError) as e:
            call()
        assert not isinstance(e.value, FileNotFoundError), e.value
    with pytest.raises(ferry.InputNotFoundError, match="nolist") as e:
        ferry.convert(["a.txt"], "o.h5", "f8", inputs_from="nolist", progress=False)
    assert e.value.filename == "nolist"
    assert sorted(os.listdir(tmp_path)) == ["a.txt", "list"]


def test_a_path_that_names_no_file_ferry_can_open(tmp_path, monkeypatch):
    # "" was the working folder (convert took every file in it); a NUL came out in Java's words
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text("1 2\n")
    for call in (lambda p: ferry.loadtxt(p, "f8"), lambda p: ferry.load_many([p], "f8"),
                 lambda p: ferry.convert([p], tmp_path / "o.h5", "f8", progress=False),
                 lambda p: ferry.convert(["a.txt"], p, "f8", progress=False)):
        with pytest.raises(ferry.UsageError, match="an empty path names no file"):
            call("")
        with pytest.raises(ferry.UsageError, match="cannot hold a NUL"):
            call("a\0b.txt")
    assert sorted(os.listdir(tmp_path)) == ["a.txt"]
    # /dev/fd/N names this process's descriptor: Ferry's JVM opened its own (its start-up cache)
    fd = os.open(tmp_path / "a.txt", os.O_RDONLY)
    try:
        assert ferry.loadtxt("/dev/fd/%d" % fd, "f8").tolist() == [1, 2]
    finally:
        os.close(fd)
    r, w = os.pipe()
    try:
        with pytest.raises(ferry.UsageError, match="write it to a file first"):
            ferry.loadtxt("/dev/fd/%d" % r, "f8")
    finally:
        os.close(r)
        os.close(w)


def test_arguments_numpy_would_read_otherwise_are_refused_not_guessed(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("1,2,3\n4,5,6\n")
    # numpy's order puts comments before delimiter: by position, a third argument is refused
    assert np.loadtxt(path, "f8", "#", ",").shape == (2, 3)
    with pytest.raises(TypeError):
        ferry.loadtxt(path, "f8", "#", ",")
    with pytest.raises(TypeError):
        ferry.load_many([path], "f8", 2)
    # numpy refuses usecols that are not ints; int() read "12" as columns 1 and 2, 1.7 as 1
    for cols in ("12", (1.7,), np.array([1.9, 0.2]), ["1"], 1.0):
        with pytest.raises(TypeError):
            np.loadtxt(path, "f8", delimiter=",", usecols=cols)
        with pytest.raises(ferry.UsageError, match="usecols must be an int or a sequence of ints"):
            ferry.loadtxt(path, "f8", delimiter=",", usecols=cols)
    assert ferry.loadtxt(path, "f8", delimiter=",", usecols=np.array([2, 0])).tolist() == [[3, 1], [6, 4]]
    with pytest.raises(TypeError):                      # None is no count of rows to skip
        np.loadtxt(path, "f8", delimiter=",", skiprows=None)
    with pytest.raises(ferry.UsageError, match="skiprows must be an integer, 0 or more, not None"):
        ferry.loadtxt(path, "f8", delimiter=",", skiprows=None)


def test_a_name_starting_with_an_at_sign_is_that_file(tmp_path, monkeypatch):
    # picocli read "@list" as the arguments written in "list": the file "list" named was loaded
    monkeypatch.chdir(tmp_path)
    (tmp_path / "other.txt").write_text("7 8\n")
    (tmp_path / "list").write_text("other.txt\n")
    with pytest.raises(ferry.FerryError, match="no such file"):
        ferry.loadtxt("@list", "i4")
    (tmp_path / "@list").write_text("1 2\n")
    assert ferry.loadtxt("@list", "i4").tolist() == [1, 2]


def test_a_removed_working_folder_still_reads_absolute_paths(tmp_path, monkeypatch):
    # no JVM starts in a folder that was removed: a load failed there, even of an absolute path
    table = tmp_path / "t.txt"
    table.write_text("1 2\n3 4\n")
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    assert ferry.loadtxt(str(table), "i4").tolist() == [[1, 2], [3, 4]]
    with pytest.raises(ferry.InputNotFoundError, match="t.txt: no such file: the working folder was removed") as e:
        ferry.loadtxt("t.txt", "i4")
    assert e.value.filename == "t.txt"


def test_load_many_refuses_two_files_of_one_name_in_its_own_words(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for d in "ab":
        (tmp_path / d / "x.txt").write_text("1 2\n")
    # it suggested a name template, which load_many does not take
    with pytest.raises(ferry.UsageError, match="would both be the array named 'x' .*: share them in separate calls, or"
                                               " rename one"):
        ferry.load_many([tmp_path / "a" / "x.txt", tmp_path / "b" / "x.txt"], "i4")


def test_load_many_gives_a_dict_by_dataset_in_input_order(tmp_path):
    paths = [EXAMPLES / "sample3.txt", EXAMPLES / "sample1.txt", EXAMPLES / "sample4.txt.gz", EXAMPLES / "sample2.txt"]
    arrays = ferry.load_many(paths, METHYLATION, workers=2)
    assert list(arrays) == ["sample3", "sample1", "sample4", "sample2"]
    for p, (name, a) in zip(paths, arrays.items()):
        assert isinstance(a, ferry.SharedArray)
        assert a.tobytes() == np.loadtxt(p, dtype=METHYLATION, ndmin=1).tobytes(), name
        assert not os.path.exists("/dev/shm/" + a.segment_name)


def _children():
    """The pids of this process's children, from /proc."""
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open("/proc/%s/stat" % entry) as f:
                    stat = f.read()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == os.getpid():
                pids.append(int(entry))
    return pids


def test_a_jvm_asked_to_end_during_a_load_says_so(tmp_path, monkeypatch):
    # SIGTERM to `ferry share`'s JVM during a load was told as its last line ("removing the shared
    # memory this process still held at its exit: ...") or "Cancelled: cancelled": nothing named
    # the signal. The load is caught under way by its segment in /dev/shm.
    import signal
    import threading
    from conftest import segments_of
    monkeypatch.setenv("FERRY_KEEP_JVM", "0")   # a JVM of its own for the call
    big = generate(tmp_path / "big.txt", 2_000_000)
    ended = []

    def end_it_mid_load():
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not ended:
            for pid in _children():
                if any(n for n in segments_of(pid) if not n.endswith(".pid")):
                    os.kill(pid, signal.SIGTERM)
                    ended.append(pid)
                    return
            time.sleep(0.001)

    t = threading.Thread(target=end_it_mid_load)
    t.start()
    try:
        with pytest.raises(ferry.FerryError) as e:
            ferry.loadtxt(big, METHYLATION)
    finally:
        ended.append(None)
        t.join()
    assert "SIGTERM" in str(e.value), str(e.value)
    assert segments_of(ended[0]) == []


def test_load_many_of_no_paths_still_checks_its_options():
    assert ferry.load_many([], METHYLATION) == {}
    with pytest.raises(TypeError, match="load_many.. got an unexpected keyword argument 'bogus'"):
        ferry.load_many([], METHYLATION, bogus=1)
    with pytest.raises(ferry.UsageError, match="ndmin"):
        ferry.load_many([], METHYLATION, ndmin=2)


def test_load_many_of_larger_files_in_parallel(tmp_path):
    paths = [generate(tmp_path / ("t%d.txt" % i), 50_000, seed=i) for i in range(4)]
    arrays = ferry.load_many(paths, METHYLATION)
    for p, a in zip(paths, arrays.values()):
        assert a.shape == (50_000,)
        assert a.tobytes() == np.loadtxt(p, dtype=METHYLATION, ndmin=1).tobytes()


def test_load_many_fails_whole_naming_the_bad_file(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("chr1\t10\t1.5\t3\t4\nchr1\t11\t1.5\tx\t4\n")
    with pytest.raises(ferry.ParseError) as e:
        ferry.load_many([EXAMPLES / "sample1.txt", bad], METHYLATION)
    assert e.value.path == str(bad) and e.value.line == 2 and e.value.text == "x"
    (tmp_path / "sample1.txt").write_bytes((EXAMPLES / "sample1.txt").read_bytes())
    with pytest.raises(ferry.UsageError, match="the array named 'sample1'"):
        ferry.load_many([EXAMPLES / "sample1.txt", tmp_path / "sample1.txt"], METHYLATION)
    assert ferry.load_many([], METHYLATION) == {}


@pytest.mark.parametrize("session", [False, True], ids=["a ferry run", "a session"])
def test_a_failure_after_an_array_was_shared_is_told_as_ferrys_error(tmp_path, monkeypatch, session):
    # Ferry shares sample1, then fails on the bad file and removes what it shared; a Python slower
    # to map sample1 than Ferry to fail (here: by a second) must report the parse error, not the
    # missing segment. A session serves on after it.
    bad = tmp_path / "bad.txt"
    bad.write_text("chr1\t10\t1.5\t3\t4\nchr1\t11\t1.5\tx\t4\n")
    from ferry import _array, _load
    slow = _array.from_handle

    def late(handle, owner=False, sole=False):
        import time
        time.sleep(1)
        return slow(handle, owner, sole)

    with ferry.Session() if session else contextlib.nullcontext(ferry) as loader:
        monkeypatch.setattr(_load._array, "from_handle", late)
        with pytest.raises(ferry.ParseError) as e:
            loader.load_many([EXAMPLES / "sample1.txt", bad], METHYLATION, workers=1)
        assert e.value.path == str(bad) and e.value.line == 2
        monkeypatch.setattr(_load._array, "from_handle", slow)
        assert len(loader.loadtxt(EXAMPLES / "sample1.txt", METHYLATION)) == 3000

def test_a_line_over_the_limit_says_which_limit_reads_it(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("ab 1\n" + "x" * (1 << 20) + " 2\ncd 3\n")
    dt = [("s", "S2"), ("n", "<i4")]
    with pytest.raises(ferry.ParseError) as e:
        ferry.loadtxt(path, dt, lenient=True, max_line_bytes="1M")
    assert e.value.line == 2 and "the line limit" in str(e.value)
    assert "try max_line_bytes='4M'" in str(e.value), str(e.value)
    a = ferry.loadtxt(path, dt, lenient=True, max_line_bytes="4M")
    assert a.tobytes() == np.loadtxt(path, dtype=dt).tobytes()   # numpy cuts the string: lenient does too
    assert ferry.loadtxt(path, dt, lenient=True, max_line_bytes=4 << 20).tobytes() == a.tobytes()
    for bad in (True, 1.5, "-1"):
        with pytest.raises(ferry.UsageError):
            ferry.loadtxt(path, dt, max_line_bytes=bad)
    del a

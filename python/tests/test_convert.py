"""ferry.convert: the HDF5 file h5py reads, the summary, progress, errors."""
import io
import signal
import tempfile
import threading
import time
import os

import numpy as np
import pytest

import ferry
from ferry import _command, _convert, _load, _temporary
from conftest import EXAMPLES, METHYLATION, STARTED, generate

h5py = pytest.importorskip("h5py") if os.environ.get("CI") != "true" else __import__("h5py")

INPUTS = [EXAMPLES / "sample1.txt", EXAMPLES / "sample2.txt", EXAMPLES / "sample3.txt", EXAMPLES / "sample4.txt.gz"]


@pytest.fixture(params=["a ferry run", "a session"])
def converter(request):
    """``ferry`` itself (a ``ferry convert`` run a call), or a ferry.Session (one JVM)."""
    if request.param == "a session":
        with ferry.Session() as s:
            yield s
    else:
        yield ferry


@pytest.mark.parametrize("isolation", ["thread", "process"])
def test_convert_writes_what_h5py_reads_as_np_loadtxt(converter, tmp_path, isolation):
    out = tmp_path / "s.h5"
    r = converter.convert(INPUTS, out, METHYLATION, compression="gzip:4", shuffle=True, workers=2, isolation=isolation,
                      progress=False)
    assert r.output == str(out) and list(r.datasets) == ["sample1", "sample2", "sample3", "sample4"]
    assert r.bytes_out == os.path.getsize(out) and r.bytes_in > 0 and r.seconds > 0 and not r.failures
    with h5py.File(out, "r") as f:
        for p, name in zip(INPUTS, r.datasets):
            expected = np.loadtxt(p, dtype=METHYLATION, ndmin=1)
            assert f[name].dtype == expected.dtype and r.datasets[name] == len(expected)
            assert f[name][:].tobytes() == expected.tobytes()
        assert f["sample1"].compression == "gzip" and f["sample1"].shuffle
    assert r.rows == sum(r.datasets.values())


def test_an_existing_output_needs_force(tmp_path):
    out = tmp_path / "s.h5"
    out.write_bytes(b"mine")
    with pytest.raises(ferry.FerryError, match="add force=True to replace it"):
        ferry.convert(INPUTS[:1], out, METHYLATION, progress=False)
    assert out.read_bytes() == b"mine"
    ferry.convert(INPUTS[:1], out, METHYLATION, force=True, progress=False)
    with h5py.File(out, "r") as f:
        assert list(f) == ["sample1"]


def test_a_parse_error_leaves_no_output(converter, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("chr1\t10\t1.5\t3\t4\n" * 3 + "chr1\t10\t1e39\t3\t4\n")
    out = tmp_path / "s.h5"
    with pytest.raises(ferry.ParseError) as e:
        converter.convert([INPUTS[0], bad], out, METHYLATION, progress=False)
    assert e.value.path == str(bad) and e.value.line == 4 and e.value.text == "1e39"
    assert not out.exists() and os.listdir(tmp_path) == ["bad.txt"]


@pytest.mark.parametrize("isolation", ["thread", "process"])
def test_a_parse_error_says_the_same_from_a_worker_process(tmp_path, isolation):
    csv = tmp_path / "t.csv"
    csv.write_text("chr1,10,1.5,3,4\n")
    out = tmp_path / "s.h5"
    with pytest.raises(ferry.ParseError) as e:
        ferry.convert([csv], out, METHYLATION, isolation=isolation, progress=False)
    assert str(e.value).splitlines()[1] == ("hint: the line holds commas, which do not separate fields without a"
                                            " delimiter; try delimiter=','")
    err = e.value
    assert (err.path, err.line, err.column) == (str(csv), 1, 16), (err.path, err.line, err.column)
    assert "pos" in err.field and err.text == "chr1,10,1.5,3,4"
    assert not out.exists()


def test_keep_going_lists_the_failures(converter, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("chr1\t10\t1.5\t3\n")
    out = tmp_path / "s.h5"
    r = converter.convert([INPUTS[0], bad, INPUTS[1]], out, METHYLATION, keep_going=True, progress=False)
    assert list(r.datasets) == ["sample1", "sample2"]
    assert list(r.failures) == [str(bad)]
    err = r.failures[str(bad)]
    assert isinstance(err, ferry.ParseError) and err.line == 1
    with h5py.File(out, "r") as f:
        assert sorted(f) == ["sample1", "sample2"]
    # every input failing: nothing written, the first failure raised (an empty file came back)
    with pytest.raises(ferry.ParseError) as e:
        converter.convert([bad], tmp_path / "none.h5", METHYLATION, keep_going=True, progress=False)
    assert e.value.line == 1
    assert not (tmp_path / "none.h5").exists()


class _Killer(_convert.Progress):
    """A progress display that kills ``pid()`` (SIGKILL) at the conversion's first progress line
    that has files still to do."""

    def __init__(self, pid):
        self.pid = pid
        self.killed = None

    def update(self, p):
        if self.killed is None and p["files_done"] < p["files"]:
            self.killed = self.pid()
            os.kill(self.killed, signal.SIGKILL)


def test_a_ferry_process_killed_during_a_conversion_is_a_ferry_error_naming_the_signal(converter, tmp_path,
                                                                                        monkeypatch):
    # It said "ferry exited with code -9" (subprocess's -N: killed by signal N), and from a session
    # it raised ferry._session._Gone, a class of no public name.
    big = generate(tmp_path / "big.txt", 1_000_000)
    killer = _Killer(lambda: converter.pid if converter is not ferry else STARTED[-1])
    monkeypatch.setattr(_convert.Progress, "choose", staticmethod(lambda stream=None: killer))
    with pytest.raises(ferry.FerryError, match=r"killed by signal 9 \(SIGKILL\)") as e:
        converter.convert([big], tmp_path / "big.h5", METHYLATION, workers=1, compression="gzip:9")   # slowly
    assert killer.killed is not None
    assert type(e.value) is ferry.FerryError and e.value.exit_code == -signal.SIGKILL
    # no output; the temporary one a JVM killed outright leaves, the next run to that target removes
    assert not (tmp_path / "big.h5").exists()
    if converter is not ferry:
        assert converter.convert(INPUTS[:1], tmp_path / "s.h5", METHYLATION, progress=False).rows == 3000, \
            "the session starts another JVM"


def test_a_wrong_option_is_a_usage_error(converter, tmp_path):
    with pytest.raises(ferry.UsageError):
        converter.convert(INPUTS, tmp_path / "s.h5", METHYLATION, isolation="fiber", progress=False)
    with pytest.raises(ferry.UsageError):
        converter.convert(INPUTS, tmp_path / "s.h5", METHYLATION, workers=0, progress=False)
    # an output named .npy was written as HDF5, which np.load refused
    with pytest.raises(ferry.UsageError, match=r"writes HDF5, which np.load cannot read"):
        converter.convert(INPUTS, tmp_path / "s.npy", METHYLATION, progress=False)
    assert not (tmp_path / "s.npy").exists()
    # an argument no function takes is named as Python names it, by the function called (it named
    # loader_args, an inner function)
    with pytest.raises(TypeError, match=r"^convert\(\) got an unexpected keyword argument 'bogus'$"):
        ferry.convert(INPUTS, tmp_path / "s.h5", METHYLATION, bogus=1, progress=False)
    with pytest.raises(TypeError, match=r"^load_many\(\) got an unexpected keyword argument 'unpack'$"):
        ferry.load_many(INPUTS, METHYLATION, unpack=True)
    # in Python's words, and the words right: -1 was refused as "must be a non-negative integer", 0 too
    for workers in (0, -1):
        with pytest.raises(ferry.UsageError, match=r"workers must be an integer, 1 or more, not %d" % workers):
            ferry.load_many(INPUTS, METHYLATION, workers=workers)
    assert os.listdir(tmp_path) == []


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_as_plain_lines_on_a_terminal(tmp_path, monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "tqdm", None)   # as where tqdm is not installed
    term = Terminal()
    monkeypatch.setattr("sys.stderr", term)
    display = _convert.Progress.choose()
    assert isinstance(display, _convert.Lines)
    monkeypatch.setattr(_convert.Lines, "__init__", lambda self, stream, every=0.0: _lines_init(self, term))
    ferry.convert(INPUTS, tmp_path / "s.h5", METHYLATION, progress=True)
    shown = term.getvalue().splitlines()
    assert shown and all(l.startswith("ferry convert: ") for l in shown), shown
    assert shown[-1].startswith("ferry convert: 100%") and "4/4 files" in shown[-1], shown


def _lines_init(self, stream):
    self.stream, self.every, self.last, self.shown = stream, 0.0, None, 0.0


def test_no_progress_where_nobody_sees_it():
    assert _convert.Progress.choose(io.StringIO()) is None


def test_progress_with_tqdm_where_it_is_installed(tmp_path, monkeypatch):
    pytest.importorskip("tqdm")
    monkeypatch.setattr("sys.stderr", Terminal())
    assert isinstance(_convert.Progress.choose(), _convert.Bar)
    ferry.convert(INPUTS, tmp_path / "s.h5", METHYLATION, progress=True)


def _same_as_loadtxt(f, name, path):
    expected = np.loadtxt(path, dtype=METHYLATION, ndmin=1)
    assert f[name].dtype == expected.dtype and f[name][:].tobytes() == expected.tobytes(), name


def test_name_and_group_put_the_datasets_where_asked(tmp_path):
    out = tmp_path / "s.h5"
    r = ferry.convert(INPUTS[:2], out, METHYLATION, name="{index}_{stem}", group="calls/2024", progress=False)
    assert list(r.datasets) == ["calls/2024/0_sample1", "calls/2024/1_sample2"]
    with h5py.File(out, "r") as f:
        _same_as_loadtxt(f, "calls/2024/0_sample1", INPUTS[0])
        _same_as_loadtxt(f, "calls/2024/1_sample2", INPUTS[1])
    with pytest.raises(ferry.UsageError, match=r"^name: the name template '\{nope\}' has an unknown placeholder"):
        ferry.convert(INPUTS[:1], tmp_path / "t.h5", METHYLATION, name="{nope}", progress=False)
    assert not (tmp_path / "t.h5").exists()


def test_errors_name_the_arguments_of_the_call_not_the_commands_options(tmp_path):
    out = tmp_path / "t.h5"
    for kwargs, words in ((dict(chunk_rows=0), "^chunk_rows "), (dict(compression=9), "^compression "),
                          (dict(attrs={"": "c"}), "^attrs: an attribute needs a name"), (dict(group="a/../b"), "^group: ")):
        with pytest.raises(ferry.UsageError, match=words):
            ferry.convert(INPUTS[:1], out, METHYLATION, progress=False, **kwargs)
    assert not out.exists()
    # the user's own text stays as given: a path, a name template
    with pytest.raises(ferry.FerryError, match="x --dtype y: no such file"):
        ferry.convert([tmp_path / "x --dtype y"], out, METHYLATION, progress=False)
    with pytest.raises(ferry.UsageError, match=r"^name: the name template '\{stem\}--force\{nope\}'"):
        ferry.convert(INPUTS[:1], out, METHYLATION, name="{stem}--force{nope}", progress=False)


def test_options_anywhere_in_a_message_are_named_as_the_call_names_them(tmp_path):
    # Only a leading option was: "... raise --memory or lower --chunk-rows" told a Python caller
    # to change a command line it never wrote.
    with pytest.raises(ferry.FerryError) as e:
        ferry.convert(INPUTS[:1], tmp_path / "t.h5", METHYLATION, memory="1M", progress=False)
    assert str(e.value).endswith("; raise memory or lower chunk_rows") and "--" not in str(e.value), str(e.value)
    words = _command.python_words
    assert words("a.txt: 3 lines skipped (--skiprows); lower --max-line-bytes.") == \
        "a.txt: 3 lines skipped (skiprows); lower max_line_bytes."
    assert words("--force, --memory: --workers=2") == "force=True, memory: workers=2"
    # whole option names only, and only as words of their own: not a longer option, not in a path
    for kept in ("raise --memory-foo", "--memoryless", "/data/--memory/a.txt: x", "a--memory", "see --json",
                 "--memory.txt: x", "x --memory/y.txt"):
        assert words(kept) == kept
    # the call's own text stays as given, where it is written as an option would be
    assert words("in/x --dtype y: no such file", ["convert", "in/x --dtype y"]) == "in/x --dtype y: no such file"
    assert words("in/x --dtype y exists; add --force", ["in//x --dtype y"]) == "in/x --dtype y exists; add force=True"


def test_append_adds_to_a_file_h5py_wrote_and_refuses_a_name_it_has(tmp_path):
    out = tmp_path / "theirs.h5"
    with h5py.File(out, "w") as f:
        f["old"] = np.arange(100.0)
    ferry.convert(INPUTS[:2], out, METHYLATION, append=True, progress=False)
    with h5py.File(out, "r") as f:
        assert sorted(f) == ["old", "sample1", "sample2"] and (f["old"][:] == np.arange(100.0)).all()
        _same_as_loadtxt(f, "sample2", INPUTS[1])
    before = out.read_bytes()
    with pytest.raises(ferry.FerryError, match=r"/sample1 exists already in .* \(a dataset\)"):
        ferry.convert(INPUTS[:1], out, METHYLATION, append=True, progress=False)
    assert out.read_bytes() == before and sorted(os.listdir(tmp_path)) == ["theirs.h5"]


def test_folders_lists_and_many_paths(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in (10, 2, 1):
        (folder / ("part%d.txt" % i)).write_text("".join(INPUTS[0].read_text().splitlines(True)[: 10 * i]))
    listed = tmp_path / "list"
    listed.write_text("%s\n\n%s\n" % (INPUTS[1], INPUTS[2]))
    out = tmp_path / "s.h5"
    r = ferry.convert([folder], out, METHYLATION, inputs_from=listed, progress=False)
    assert list(r.datasets) == ["part1", "part2", "part10", "sample2", "sample3"]
    # past the command line's comfort: the paths go to ferry through a list file, removed after
    many = []
    for i in range(_load.ARGUMENT_PATHS + 1):
        p = tmp_path / "many" / ("t%d.txt" % i)
        p.parent.mkdir(exist_ok=True)
        p.write_text("chr1 %d 0.5 1 2\n" % i)
        many.append(p)
    lists_before = {n for n in os.listdir(tempfile.gettempdir()) if n.startswith("ferry-inputs-")}
    r = ferry.convert(many, tmp_path / "many.h5", METHYLATION, progress=False)
    assert list(r.datasets) == ["t%d" % i for i in range(len(many))]
    assert {n for n in os.listdir(tempfile.gettempdir()) if n.startswith("ferry-inputs-")} == lists_before
    with h5py.File(tmp_path / "many.h5", "r") as f:
        assert f["t500"][0]["pos"] == 500
    with pytest.raises(ferry.UsageError, match="standard input"):
        ferry.convert(["-"], tmp_path / "x.h5", METHYLATION, progress=False)


@pytest.mark.parametrize("dtype", ["f8", np.float32, np.dtype(">i8")])
def test_a_plain_dtype_writes_each_input_as_a_grid_equal_to_loadtxt_ndmin_2(tmp_path, dtype):
    wide = tmp_path / "wide.txt"
    wide.write_text("".join(" ".join(str(r * 7 + c) for c in range(12)) + "\n" for r in range(900)))
    one = tmp_path / "one.txt"
    one.write_text("# one row\n1 2 3\n")
    out = tmp_path / "g.h5"
    r = ferry.convert([wide, one], out, dtype, compression="gzip", progress=False)
    assert r.datasets == {"wide": 900, "one": 1}
    with h5py.File(out, "r") as f:
        for p in (wide, one):
            expected = np.loadtxt(p, dtype=dtype, ndmin=2)
            d = f[p.stem]
            assert d.dtype == expected.dtype and d.shape == expected.shape and d.chunks[1] == expected.shape[1]
            assert d[:].tobytes() == expected.tobytes()


def test_a_grid_row_of_other_columns_is_a_parse_error(tmp_path):
    ragged = tmp_path / "ragged.txt"
    ragged.write_text("1 2 3\n4 5\n")
    out = tmp_path / "g.h5"
    with pytest.raises(ferry.ParseError) as e:
        ferry.convert([ragged], out, "f8", progress=False)
    assert e.value.path == str(ragged) and e.value.line == 2
    assert not out.exists()


def test_attrs_are_string_attributes_of_the_file(tmp_path):
    out = tmp_path / "s.h5"
    ferry.convert(INPUTS[:1], out, METHYLATION, attrs={"title": "July calls", "run": 7}, progress=False)
    with h5py.File(out, "r") as f:
        assert f.attrs["title"] == "July calls" and f.attrs["run"] == "7" and "created" in f.attrs
    with pytest.raises(ferry.UsageError, match="created"):
        ferry.convert(INPUTS[:1], tmp_path / "t.h5", METHYLATION, attrs={"created": "now"}, progress=False)
    # the command splits KEY=VALUE at the first '=': {"a=b": "c"} wrote the attribute a = "b=c"
    with pytest.raises(ferry.UsageError, match="cannot hold '='"):
        ferry.convert(INPUTS[:1], tmp_path / "t.h5", METHYLATION, attrs={"a=b": "c"}, progress=False)
    assert not (tmp_path / "t.h5").exists()


@pytest.mark.parametrize("attrs", [["a=1"], "a=1", [("a", 1)]])
def test_attrs_that_are_not_a_dict_are_refused_saying_what_they_must_be(tmp_path, attrs):
    # a list of "KEY=VALUE" (the command line's --attr) raised AttributeError: 'list' object has no attribute 'items'
    with pytest.raises(ferry.UsageError, match=r"^attrs must be a dict of attribute names to values"):
        ferry.convert(INPUTS[:1], tmp_path / "t.h5", METHYLATION, attrs=attrs, progress=False)
    assert os.listdir(tmp_path) == []


def test_a_dry_run_writes_nothing_and_says_what_would_be_written(converter, tmp_path):
    out = tmp_path / "s.h5"
    plan = converter.convert(INPUTS, out, METHYLATION, dry_run=True, workers=2, progress=False)
    assert os.listdir(tmp_path) == []
    assert [d["name"] for d in plan["datasets"]] == ["sample1", "sample2", "sample3", "sample4"]
    first = plan["datasets"][0]
    assert first["row_shape"] == [] and first["parts"] == 1 and np.dtype([tuple(f) for f in first["dtype"]]) == np.dtype(METHYLATION)
    assert 2700 <= first["estimated_rows"] <= 3300 and first["estimated_bytes"] == first["estimated_rows"] * 26
    assert plan["workers"] == 2 and plan["parts"] == 4 and plan["memory_bytes"] > 0 and plan["failures"] == {}


def test_a_header_lines_hint_names_header_true(converter, tmp_path):
    # as the command's names --header: ferry.convert takes the names from that line with header=True
    named = tmp_path / "named.txt"
    named.write_text("# notes\nchr\tpos\tpct\tc\tt\n" + (EXAMPLES / "sample1.txt").read_text()[:2000].rsplit("\n", 1)[0]
                     + "\n")
    with pytest.raises(ferry.ParseError) as e:
        converter.convert([named], tmp_path / "n.h5", METHYLATION, delimiter="\t", progress=False)
    assert str(e.value).endswith("hint: line 2 looks like a header (names where values go); try skiprows=2, or"
                                 " skiprows=1 with header=True to take the names from it"), str(e.value)
    converter.convert([named], tmp_path / "n.h5", "S10,i4,f4,i4,i4", skiprows=1, header=True, delimiter="\t",
                      progress=False)


def test_a_dry_run_parses_the_first_rows_as_the_run_would(converter, tmp_path):
    commas = tmp_path / "commas.txt"
    commas.write_text("chr1,5,1.0,1,2\n")
    with pytest.raises(ferry.ParseError, match=r"row has 1 field, expected 5") as e:
        converter.convert([INPUTS[0], commas], tmp_path / "s.h5", METHYLATION, dry_run=True, progress=False)
    assert e.value.line == 1 and "delimiter=','" in str(e.value)
    plan = converter.convert([INPUTS[0], commas], tmp_path / "s.h5", METHYLATION, dry_run=True, keep_going=True,
                             progress=False)
    assert [d["name"] for d in plan["datasets"]] == ["sample1"]
    assert list(plan["failures"]) == [str(commas)] and isinstance(plan["failures"][str(commas)], ferry.ParseError)
    assert sorted(os.listdir(tmp_path)) == ["commas.txt"]


@pytest.mark.parametrize("types", ["S10,i4,f4,i4,i4", ["S10", "i4", "f4", "i4", "i4"]])
def test_header_names_the_fields_as_genfromtxt_does(tmp_path, types):
    calls = EXAMPLES / "calls.tsv"
    out = tmp_path / "c.h5"
    ferry.convert([calls], out, types, header=True, progress=False)
    some = tmp_path / "s.h5"
    ferry.convert([calls], some, "f8", header=True, usecols=["t", "pos"], progress=False)
    with h5py.File(out, "r") as f, h5py.File(some, "r") as g:
        expected = np.genfromtxt(calls, names=True, dtype=["S10", "i4", "f4", "i4", "i4"], delimiter="\t")
        assert f["calls"].dtype == expected.dtype and f["calls"][:].tobytes() == expected.tobytes()
        picked = np.genfromtxt(calls, names=True, dtype="f8", delimiter="\t", usecols=("t", "pos"))
        assert g["calls"].dtype == picked.dtype and g["calls"][:].tobytes() == picked.tobytes()
    with pytest.raises(ferry.UsageError, match="gives 2 types for the 5 columns"):
        ferry.convert([calls], tmp_path / "x.h5", "S10,i4", header=True, progress=False)


def test_dtype_infer_chooses_genfromtxts_kinds(tmp_path):
    out = tmp_path / "i.h5"
    r = ferry.convert([EXAMPLES / "calls.tsv"], out, "infer", header=True, infer_size=16, progress=False)
    g = ferry.convert([EXAMPLES / "grid.txt"], tmp_path / "g.h5", "infer", progress=False)
    # the choice, as the command prints it: Python's result said nothing of it
    assert r.dtype == np.dtype([("chr", "S16"), ("pos", "<i8"), ("pct", "<f8"), ("c", "<i8"), ("t", "<i8")]), r.dtype
    assert g.dtype == np.float64
    with h5py.File(out, "r") as f, h5py.File(tmp_path / "g.h5", "r") as g:
        assert [(n, f["calls"].dtype[n].str) for n in f["calls"].dtype.names] == [
            ("chr", "|S16"), ("pos", "<i8"), ("pct", "<f8"), ("c", "<i8"), ("t", "<i8")]
        assert g["grid"].dtype == np.float64 and g["grid"].shape == (4, 6)
        assert (g["grid"][:] == np.genfromtxt(EXAMPLES / "grid.txt", dtype=None)).all()


def test_a_conversion_whose_jvm_is_killed_leaves_no_temporary_output(tmp_path):
    # The JVM killed by SIGKILL cannot remove its .OUT.h5.HOST-PID-….ferry-tmp; the Python that ran
    # it does (a file of a live writer, or of another host, is never touched).
    big = generate(tmp_path / "big.txt", 2_000_000, seed=5)
    out = tmp_path / "o.h5"
    live = tmp_path / (".o.h5.%s-%x-00000000.ferry-tmp" % (_temporary._host(), os.getpid()))
    other_host = tmp_path / (".o.h5.%s-%x-00000000.ferry-tmp" % ("0", 0x7FFFFFFF))
    live.write_bytes(b"a live writer's")
    other_host.write_bytes(b"another host's")
    failure = []

    def convert():
        try:
            ferry.convert([big], out, METHYLATION, workers=1, progress=False)
        except ferry.FerryError as e:
            failure.append(e)

    t = threading.Thread(target=convert)
    t.start()
    deadline = time.monotonic() + 60
    made = []
    while not made and time.monotonic() < deadline:
        made = [n for n in os.listdir(tmp_path) if n.endswith(".ferry-tmp") and n not in (live.name, other_host.name)]
        time.sleep(0.005)
    assert made, "no conversion started"
    pid = int(made[0][:-len(".ferry-tmp")].split("-")[-2], 16)
    os.kill(pid, signal.SIGKILL)
    t.join(60)
    assert failure and failure[0].exit_code == -signal.SIGKILL, failure
    assert sorted(os.listdir(tmp_path)) == sorted(["big.txt", live.name, other_host.name])


def test_an_interrupt_after_ferry_finished_says_the_output_is_written(tmp_path):
    # Ferry exits 0 only once its output is in place, even when the interrupt reached it after
    # that: the KeyboardInterrupt carries a note saying so (a retry of an append would find the
    # dataset there already).
    from ferry._command import Run
    out = tmp_path / "g.txt"
    with pytest.raises(KeyboardInterrupt) as e:
        with Run(["generate", "--lines", "10", "-o", out]) as run:
            run.process.wait(120)
            raise KeyboardInterrupt
    assert out.exists()
    assert "ferry had finished before it was stopped" in "".join(getattr(e.value, "__notes__", [])), e.value

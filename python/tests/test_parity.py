"""ferry.loadtxt against np.loadtxt through the whole path a Python call takes: its arguments made
the command's options, the command's reading of them, the array mapped back. numpy's values, or
an error where numpy raises too (or changes values silently, which Ferry refuses)."""
import random
import warnings

import numpy as np
import pytest

import ferry

# Arguments whose values the command line gives a meaning of its own, which must stay numpy's:
# its end of options ("--"), its names ("none", "tab", "comma"), its options' names ("-h").
TRICKY = [
    ("1\t2,x\n3\t4\n", dict(dtype=[("a", "f8"), ("b", "S5")], delimiter="\t", comments="comma")),
    ("1\t2\n3\ttab\n", dict(dtype="f8", delimiter=",", comments="tab")),
    ("1 2\n--c\nnone 3\n3 4 -- x\n", dict(dtype="f8", comments=["--", "none"])),
    ("-1 -2\n-h 1\n4 5\n", dict(dtype="f8", comments=["-h"])),
    ("-1 -2\n--help\n4 5\n", dict(dtype="f8", comments="--help")),
    ("1 2\nNONE\n", dict(dtype="f8", comments="NONE")),
    ("1 2 [x]\n[3 4\n", dict(dtype="f8", comments="[")),
    ('1 2 ["#"]\n', dict(dtype="f8", comments='["#"]')),
    ("1 2 \u00e9x\n", dict(dtype="f8", comments="\u00e9")),
    ("1 #2\n", dict(dtype="S2", comments=None)),
    ("1 2 % x\n3 4\n", dict(dtype="f8", comments=b"%")),
    ("1\t2\n3\t4\n", dict(dtype="f8", delimiter=b"\t")),
    ("1\t2\n3\t4\n", dict(dtype="f8", delimiter="\t", quotechar="tab")),   # numpy: one character only
    ('"1"\t2\n', dict(dtype="S3", delimiter="\t", quotechar=b'"')),            # numpy: no bytes
    ("1 2 % x\n# y\n3 4\n", dict(dtype="f8", comments=[b"%", "#"])),
    ("1-2\n3-4\n", dict(dtype="f8", delimiter="-")),
    ("'1' 2\n", dict(dtype="S3", quotechar="-")),
    ("-1 -2 -3\n4 5 6\n", dict(dtype="f8", usecols=(-1, -3))),
    ("caf\u00e9 1\n", dict(dtype=[("s", "S6"), ("x", "f8")], encoding="utf-8")),
    ("caf\u00e9 1\n", dict(dtype=[("s", "S6"), ("x", "f8")], encoding="UTF8")),
    ("caf\u00e9 1\n", dict(dtype=[("s", "S6"), ("x", "f8")], encoding="bytes")),
    ("1 2\n", dict(dtype="f8", ndmin=1)),
]


def test_ndmin_other_than_ferrys_shapes_is_refused(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("1 2\n")
    for ndmin in (0, 2, True):
        with pytest.raises(ferry.UsageError, match="Ferry gives np.loadtxt's ndmin=1 shapes"):
            ferry.loadtxt(path, "f8", ndmin=ndmin)


def test_an_encoding_other_than_utf8_is_refused_not_ignored(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("caf\u00e9 1\n", encoding="utf-8")
    dt = [("s", "S6"), ("x", "f8")]
    assert np.loadtxt(path, dtype=dt, encoding="latin1")["s"] == b"caf\xc3\xa9"   # what ignoring it would miss
    for encoding in ("latin1", "cp1252", "no-such-codec", 8):
        with pytest.raises(ferry.UsageError, match="Ferry reads UTF-8 only"):
            ferry.loadtxt(path, dt, encoding=encoding)
        with pytest.raises(ferry.UsageError, match="Ferry reads UTF-8 only"):
            ferry.load_many([path], dt, encoding=encoding)


def numpy_or_error(path, kwargs):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")   # "input contained no data", deprecated casts
            return np.loadtxt(path, **{"ndmin": 1, **kwargs}), None
    except Exception as e:   # numpy's own: ValueError, TypeError...
        return None, e


def assert_as_numpy(path, kwargs, load=ferry.loadtxt, lenient=False):
    expected, numpy_error = numpy_or_error(path, kwargs)
    try:
        got = load(path, **kwargs, lenient=lenient)
    except ferry.FerryError as e:
        if numpy_error is None:
            # Strict Ferry refuses what numpy changes silently; lenient Ferry never refuses what
            # numpy reads.
            assert not lenient and isinstance(e, ferry.ParseError), "numpy read %r, Ferry refused: %s" % (kwargs, e)
        return
    try:
        assert numpy_error is None, "numpy raised %r, Ferry loaded %r" % (numpy_error, got)
        assert got.dtype == expected.dtype and got.shape == expected.shape, (kwargs, got, expected)
        assert got.tobytes() == expected.tobytes(), (kwargs, got, expected)
    finally:
        got.close()


@pytest.mark.parametrize("text,kwargs", TRICKY, ids=[repr(k) for _, k in TRICKY])
def test_option_values_the_command_line_reads_otherwise_stay_numpys(tmp_path, text, kwargs):
    path = tmp_path / "t.txt"
    path.write_text(text, encoding="utf-8")
    assert_as_numpy(str(path), kwargs)
    assert_as_numpy(str(path), kwargs, lenient=True)


def test_a_file_whose_name_starts_with_a_dash(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "-x.txt").write_text("1 2\n3 4\n")
    (tmp_path / "-").write_text("5 6\n")
    assert_as_numpy("-x.txt", dict(dtype="f8"))
    assert_as_numpy("-", dict(dtype="f8"))   # numpy opens a file named "-", not standard input
    assert list(ferry.load_many(["-x.txt", "-"], "f8")) == ["-x", "-"]


def random_call(r):
    """A random table and random loadtxt arguments, the comment strings and delimiters among
    those the command line would otherwise read as its own words."""
    comments = r.choice(["#", None, "--", "//", "none", "tab", "-h", ["#", "--"], "%", "!"])
    delimiter = r.choice([None, "\t", ",", ";", "-", "|"])
    cols = r.randint(1, 4)
    kind = r.choice(["f8", "f4", "i4", "i8", "u2", "S4"])
    sep = delimiter if delimiter is not None else r.choice([" ", "\t", "  "])
    lines = []
    for _ in range(r.randint(0, 6)):
        if r.random() < 0.15:
            text = [c for c in ([comments] if isinstance(comments, str) else comments or [])]
            lines.append((r.choice(text) if text else "") + " note")
            continue
        fields = []
        for _ in range(cols if r.random() > 0.1 else cols + r.choice([-1, 1])):
            v = r.choice([str(r.randint(-300, 70000)), "%.3f" % r.uniform(-1e3, 1e3), "x", "", "1e5", "-0"])
            fields.append(v)
        line = sep.join(fields)
        if r.random() < 0.2 and comments:
            line += " " + (comments if isinstance(comments, str) else comments[-1]) + " tail"
        lines.append(line)
    kwargs = dict(dtype=kind)
    if delimiter is not None:
        kwargs["delimiter"] = delimiter
    if comments != "#":
        kwargs["comments"] = comments
    if r.random() < 0.3:
        kwargs["skiprows"] = r.randint(0, 2)
    if r.random() < 0.3:
        kwargs["max_rows"] = r.randint(0, 3)
    if r.random() < 0.3 and cols > 1:
        kwargs["usecols"] = tuple(r.sample(range(-cols, cols), 1))
    return "\n".join(lines) + ("\n" if r.random() < 0.8 else ""), kwargs


def test_random_calls_give_numpys_values_or_refuse_with_numpy(tmp_path):
    r = random.Random(20261207)
    with ferry.Session() as session:
        for i in range(150):
            text, kwargs = random_call(r)
            path = tmp_path / ("r%d.txt" % i)
            path.write_text(text)
            for lenient in (False, True):
                try:
                    assert_as_numpy(str(path), kwargs, load=session.loadtxt, lenient=lenient)
                except AssertionError as e:
                    raise AssertionError("case %d %r lenient=%s, text %r: %s" % (i, kwargs, lenient, text, e))

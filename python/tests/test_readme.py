"""The README's "From Python" snippets run as written (from the checkout's root)."""
import re

from conftest import ROOT, run_python


def snippets():
    text = (ROOT / "README.md").read_text()
    section = text[text.index("### From Python"):]
    section = section[:section.index("\n### ", 1)]
    return re.findall(r"```python\n(.*?)```", section, re.S)


def test_the_readme_has_its_python_snippets():
    assert len(snippets()) >= 5


def test_each_readme_snippet_runs_as_written():
    made = ROOT / "samples.h5"
    existed = made.exists()
    try:
        for code in snippets():
            r = run_python(code, cwd=ROOT)
            assert r.returncode == 0, "snippet failed:\n%s\n%s%s" % (code, r.stdout, r.stderr)
            assert "Traceback" not in r.stderr and "leaked" not in r.stderr, r.stderr
    finally:
        if not existed and made.exists():
            made.unlink()


def test_the_readme_comments_say_what_the_snippets_print():
    loadtxt = next(s for s in snippets() if "ferry.loadtxt(\"examples/sample1.txt\", DT)" in s)
    out = run_python(loadtxt, cwd=ROOT).stdout.splitlines()
    assert out == ["[3383229 3384600 3384697] (3000,)", "(5, 2)"], out
    errors = next(s for s in snippets() if "except ferry.ParseError" in s)
    out = run_python(errors, cwd=ROOT).stdout.strip()
    assert out == "examples/sample1.txt 1 1 field 'chr' (1 of 5) chr1", out

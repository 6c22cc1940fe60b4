"""dev.py's mutation statistics: the Wilson score interval, the random draw and the sample estimate."""

from __future__ import annotations

import importlib.util
import math
import sys

import pytest

from .conftest import ROOT


def _dev():
    spec = importlib.util.spec_from_file_location("dev_under_test", ROOT / "dev.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("dev_under_test", module)
    spec.loader.exec_module(module)
    return module


dev = _dev()


@pytest.mark.parametrize(
    ("successes", "trials", "low", "high"),
    [
        # Newcombe (1998), "Two-sided confidence intervals for the single proportion: comparison of
        # seven methods", Statistics in Medicine 17:857-872, Table II, method 3 (score, no continuity
        # correction). By hand for 81/263: p = 0.30798, z = 1.95996, z^2/n = 0.014606;
        # centre (p + z^2/2n)/(1 + z^2/n) = 0.31529/1.014606 = 0.31075;
        # half z*sqrt(p(1-p)/n + z^2/4n^2)/(1 + z^2/n) = 1.95996*0.028710/1.014606 = 0.05546;
        # 0.31075 -+ 0.05546 = 0.2553, 0.3662.
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_interval_matches_newcombes_worked_examples(successes, trials, low, high):
    got_low, got_high = dev.wilson_interval(successes, trials)
    assert round(got_low, 4) == low
    assert round(got_high, 4) == high


def test_wilson_interval_is_inside_zero_one_and_narrows_with_more_trials():
    assert dev.wilson_interval(20, 20)[1] == 1.0
    assert dev.wilson_interval(20, 20)[0] < 1.0  # all killed is still an estimate
    small, large = dev.wilson_interval(9, 10), dev.wilson_interval(360, 400)
    assert small[0] < large[0] < 0.9 < large[1] < small[1]
    # Wider at 99 % than at 95 %.
    wide = dev.wilson_interval(360, 400, confidence=0.99)
    assert wide[0] < large[0] and wide[1] > large[1]


@pytest.mark.parametrize(("successes", "trials"), [(1, 0), (-1, 5), (6, 5)])
def test_wilson_interval_refuses_impossible_counts(successes, trials):
    with pytest.raises(ValueError):
        dev.wilson_interval(successes, trials)


def test_draw_is_reproducible_uniform_and_independent_of_listing_order():
    population = [f"generator.m.x_f{i}__mutmut_{j}" for i in range(50) for j in range(1, 9)]
    first = dev.draw_sample(population, 40, seed=7)
    assert first == dev.draw_sample(list(reversed(population)), 40, seed=7)
    assert len(set(first)) == 40 and set(first) <= set(population)
    assert first != dev.draw_sample(population, 40, seed=8)
    # Uniform: over many seeds every mutant is drawn about size/len(population) = 1/10 of the time.
    counts = dict.fromkeys(population, 0)
    for seed in range(500):
        for name in dev.draw_sample(population, 40, seed):
            counts[name] += 1
    expected = 500 * 40 / len(population)  # 50; binomial sd about 6.7
    assert all(abs(count - expected) < 6 * math.sqrt(expected) for count in counts.values())
    with pytest.raises(ValueError):
        dev.draw_sample(population, len(population) + 1, seed=1)


def test_sample_estimate_counts_no_tests_and_crashes_as_not_killed_and_stops_at_the_first_unrun():
    killed, survived, no_tests, timeout, suspicious = 1, 0, 33, -24, 35
    assert dev.sample_estimate([killed, timeout, survived, no_tests, suspicious]) == (2, 5)
    # Only the start of the draw with results counts: later results are not a uniform sample.
    assert dev.sample_estimate([killed, survived, None, killed, killed]) == (1, 2)
    assert dev.sample_estimate([None, killed]) == (0, 0)


def test_buckets_follow_mutmuts_exit_codes():
    assert [dev.mutant_bucket(code) for code in (1, 3, 36, 37, 255, 0, 5, 33, 35, -11, None)] == [
        "killed",
        "killed",
        "killed",
        "killed",
        "killed",
        "survived",
        "no tests",
        "no tests",
        "other",
        "other",
        "not run",
    ]


def test_mutation_testing_runs_every_fast_test_file():
    """A test file left out of mutmut's selection counts for nothing: its functions' mutants survive."""
    import tomllib

    selection = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mutmut"]["pytest_add_cli_args_test_selection"]
    left_out = {"test_browser.py", "test_browser_hostile.py", "test_benchmark.py", "test_fuzz.py", "test_dev.py", "test_dev_mutate.py"}
    on_disk = {f"tests/{p.name}" for p in (ROOT / "tests").glob("test_*.py") if p.name not in left_out}
    missing = sorted(on_disk - set(selection))
    assert not missing, f"add {missing} to pytest_add_cli_args_test_selection in pyproject.toml ([tool.mutmut])"
    assert all((ROOT / name).is_file() for name in selection)


@pytest.mark.parametrize("option", ["--help", "-h"])
def test_mutate_help_prints_the_usage_and_runs_nothing(option, monkeypatch, capsys):
    """`dev.py mutate --help` once started mutmut on every mutant of generator/ (it took --help for "no module")."""
    monkeypatch.setattr(dev, "setup", lambda lock: pytest.fail("set up"))
    monkeypatch.setattr(dev, "supervise", lambda *a, **kw: pytest.fail("ran mutmut"))
    assert dev.cmd_mutate([option]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Mutation testing: mutmut mutates generator/")
    assert "python3 dev.py mutate --sample N [--seed S]" in out


def test_mutate_refuses_an_unknown_option_instead_of_running_everything(monkeypatch, capsys):
    monkeypatch.setattr(dev, "setup", lambda lock: pytest.fail("set up"))
    monkeypatch.setattr(dev, "supervise", lambda *a, **kw: pytest.fail("ran mutmut"))
    assert dev.cmd_mutate(["--sampel", "300"]) == 2
    assert "unknown option --sampel" in capsys.readouterr().out


def _fake_mutants(root, hashes, results):
    """A mutants/ folder as mutmut leaves it: one .meta per module with function hashes and results."""
    import json

    meta = root / "mutants" / "generator" / "safe.py.meta"
    meta.parent.mkdir(parents=True)
    meta.write_text(json.dumps({"hash_by_function_name": hashes, "exit_code_by_key": results}), encoding="utf-8")


def _point_at(monkeypatch, root):
    monkeypatch.setattr(dev, "ROOT", root)
    monkeypatch.setattr(dev, "SAMPLE", root / "mutants" / "sample.json")
    monkeypatch.setattr(dev, "EQUIVALENT", root / "tests" / "equivalent-mutants.txt")


def test_equivalent_register_reads_name_hash_reason_and_refuses_a_line_without_a_reason():
    text = "# judged by hand\n\ngenerator.safe.x_prose__mutmut_3 0b735504f31f  the codec's name is\tcase-blind\n"
    assert dev.read_equivalents(text) == {"generator.safe.x_prose__mutmut_3": ("0b735504f31f", "the codec's name is\tcase-blind")}
    with pytest.raises(ValueError, match=r"equivalent-mutants.txt:2: expected `mutant-name function-hash reason`"):
        dev.read_equivalents("# c\ngenerator.safe.x_prose__mutmut_3 0b735504f31f\n")
    with pytest.raises(ValueError, match=":1:"):
        dev.read_equivalents("generator.safe.x_prose 0b735504f31f a reason\n")  # not a mutant's name


def test_an_equivalent_mutant_of_a_changed_function_is_stale():
    entries = {
        "generator.safe.x_prose__mutmut_3": ("aaa", "r"),
        "generator.safe.x_text__mutmut_1": ("bbb", "r"),
        "generator.gone.x_f__mutmut_2": ("ccc", "r"),
    }
    hashes = {"generator.safe.x_prose": "aaa", "generator.safe.x_text": "changed"}
    assert dev.equivalent_now(entries, hashes) == (
        {"generator.safe.x_prose__mutmut_3"},
        ["generator.safe.x_text__mutmut_1", "generator.gone.x_f__mutmut_2"],
    )


def test_sample_report_leaves_out_survivors_judged_equivalent_and_names_stale_judgements(tmp_path, monkeypatch, capsys):
    import json

    _point_at(monkeypatch, tmp_path)
    names = [f"generator.safe.x_prose__mutmut_{i}" for i in range(1, 11)]
    results = dict.fromkeys(names, 1) | {names[0]: 0, names[1]: 0, names[2]: 33}  # 7 killed, 2 survived, 1 without tests
    _fake_mutants(tmp_path, {"x_prose": "h1", "x_text": "h2"}, results | {"generator.safe.x_text__mutmut_1": 0})
    record = {"seed": 5, "population": 11, "commit": "c", "drawn_at": "d", "names": names, "done": names, "first": results}
    (tmp_path / "mutants" / "sample.json").write_text(json.dumps(record), encoding="utf-8")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "equivalent-mutants.txt").write_text(
        f"{names[0]} h1 the same output\n{names[4]} h1 judged, but a test kills it: not left out\ngenerator.safe.x_text__mutmut_1 old changed since\n",
        encoding="utf-8",
    )
    assert dev.sample_report(show_survivors=True) == 0
    out = capsys.readouterr().out
    assert "  first run: killed 7 of 10 = 70.0 %" in out
    # One survivor judged equivalent: 7 of 9; the killed mutant registered by mistake changes nothing.
    assert "    without the 1 of them judged equivalent (tests/equivalent-mutants.txt): killed 7 of 9 = 77.8 %" in out
    assert out.count("without the 1 of them") == 2  # first run and latest results
    assert "1 registered equivalent mutants are stale (their function changed since): judge them again, e.g. generator.safe.x_text__mutmut_1" in out
    assert f"sample equivalent: {names[0]}\nsample survived: {names[1]}\nsample no tests: {names[2]}\n" in out


def test_registering_an_equivalent_mutant_records_its_functions_hash(tmp_path, monkeypatch, capsys):
    _point_at(monkeypatch, tmp_path)
    monkeypatch.setattr(dev, "setup", lambda lock: None)
    (tmp_path / "tests").mkdir()
    _fake_mutants(tmp_path, {"x_prose": "h1"}, {"generator.safe.x_prose__mutmut_2": 0})
    assert dev.cmd_mutate(["--equivalent", "generator.safe.x_prose__mutmut_2", " same bytes out "]) == 0
    assert (tmp_path / "tests" / "equivalent-mutants.txt").read_text(encoding="utf-8") == "generator.safe.x_prose__mutmut_2 h1 same bytes out\n"
    assert dev.cmd_mutate(["--equivalent", "generator.safe.x_prose__mutmut_2", "again"]) == 1
    assert "is registered already" in capsys.readouterr().out
    assert dev.cmd_mutate(["--equivalent", "generator.safe.x_prose__mutmut_9", "no such mutant"]) == 1
    assert dev.cmd_mutate(["--equivalent", "generator.safe.x_prose__mutmut_2"]) == 2
    assert dev.cmd_mutate(["--equivalent", "generator.safe.x_prose__mutmut_2", "  "]) == 2
    assert (tmp_path / "tests" / "equivalent-mutants.txt").read_text(encoding="utf-8").count("\n") == 1

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

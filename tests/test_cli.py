"""The reader's command line: the register and a what-if template, key figures by id or chapter, one figure explained,
options before or after the command, and the errors a newcomer meets."""

from __future__ import annotations

import pytest

from analysis import cli
from analysis.inputs import load_inputs


@pytest.fixture()
def run(monkeypatch, results, capsys):
    """Run the command line in-process on the session's results; return (exit code, stdout, stderr)."""
    monkeypatch.setattr(cli, "cached", lambda inputs, folder=None, progress=None: results)

    def _run(*args: str) -> tuple[int, str, str]:
        code = cli.main(list(args))
        out, err = capsys.readouterr()
        return code, out, err
    return _run


def test_assumptions_lists_every_entry_with_its_range_and_meaning(run, inputs):
    code, out, _ = run("assumptions")
    assert code == 0
    for a in inputs.assumptions.values():
        assert a.id in out and a.description[:40] in out
    assert all(len(line) <= 100 for line in out.splitlines())


def test_assumptions_filters_by_id_and_chapter(run):
    _, out, _ = run("assumptions", "--chapter", "credit")
    ids = [line.split()[0] for line in out.splitlines()[3:] if line and not line.startswith(" ")]
    assert ids and all(i.startswith("credit.") for i in ids)
    _, out, _ = run("assumptions", "--id", "*volatility*")
    assert "termination.market_volatility_annual" in out and "credit." not in out


def test_a_template_is_a_valid_override_file_that_changes_nothing(run, tmp_path, inputs):
    path = tmp_path / "mine.csv"
    code, out, _ = run("assumptions", "--chapter", "credit", "--template", str(path))
    assert code == 0 and str(path) in out
    what_if = load_inputs(overrides=path)
    assert what_if.assumption_hash == inputs.assumption_hash  # same values, so the same register
    assert len(path.read_text(encoding="utf-8").splitlines()) == 1 + sum(i.startswith("credit.") for i in inputs.assumptions)
    # It refuses to overwrite a file.
    code, _, err = run("assumptions", "--template", str(path))
    assert code == 2 and "expected a file that does not exist yet" in err


def test_options_work_before_or_after_the_command(run, tmp_path):
    bear = str(cli.REPOSITORY / "scenarios" / "bear.csv")
    for args in (("--assumptions", bear, "check"), ("check", "--assumptions", bear)):
        code, out, _ = run(*args)
        assert code == 0 and "what-if: bear.csv" in out, args


def test_a_repeated_assumptions_option_is_refused(run):
    bear, bull = (str(cli.REPOSITORY / "scenarios" / f"{n}.csv") for n in ("bear", "bull"))
    code, _, err = run("--assumptions", bear, "check", "--assumptions", bull)
    assert code == 2 and "--assumptions is given more than once" in err


def test_key_figures_by_id_and_chapter_fit_100_columns(run, figures):
    code, out, _ = run("key-figures", "--id", "cashflow.expected_pv*")
    rows = [line.split()[0] for line in out.splitlines()[3:]]
    assert code == 0 and rows == [i for i in figures if i.startswith("cashflow.expected_pv")]
    _, out, _ = run("key-figures", "--chapter", "equilibrium")
    assert all(line.split()[0].startswith("equilibrium.") for line in out.splitlines()[3:])
    _, out, _ = run("key-figures")
    assert all(len(line) <= 100 for line in out.splitlines())


def test_an_unknown_chapter_or_pattern_names_the_choices(run):
    code, _, err = run("key-figures", "--chapter", "nope")
    assert code == 2 and "field 'chapter' is 'nope'; expected one of" in err and "cashflow" in err
    code, _, err = run("key-figures", "--id", "zzz*")
    assert code == 2 and "field 'id' is 'zzz*'" in err


def test_explain_gives_value_derivation_error_and_sources(run, figures, inputs):
    _, out, _ = run("explain", "equilibrium.seller_walkaway_share")
    f = figures["equilibrium.seller_walkaway_share"]
    assert f.formatted in out and f.derivation in out and "computed exactly" in out
    for key in inputs.assumptions["capex.relet_utilization"].source_ids:
        assert key in out
    _, out, _ = run("explain", "cashflow.expected_pv_simulated_usd")
    assert "± " + figures["cashflow.expected_pv_simulated_usd"].formatted_se in out


def test_explain_suggests_close_ids(run):
    code, _, err = run("explain", "cashflow.expected_pv")
    assert code == 2 and "cashflow.expected_pv_usd" in err


def test_changes_refuses_a_missing_folder_and_flags_a_what_if(run, tmp_path):
    code, _, err = run("changes", "--folder", str(tmp_path / "nowhere"))
    assert code == 2 and "expected a folder of editions" in err
    code, out, _ = run("--assumptions", str(cli.REPOSITORY / "scenarios" / "bear.csv"), "changes")
    assert "runs under the what-if assumption set" in out


def test_compare_lists_what_a_what_if_moves_labelled_as_such(monkeypatch, results, capsys, tmp_path):
    from analysis.results import compute
    monkeypatch.setattr(cli, "cached", lambda inputs, folder=None, progress=None: results if not inputs.is_what_if else compute(inputs))
    mine = tmp_path / "mine.csv"
    mine.write_text("id,unit,low,base,high,note\ncredit.monthly_burn_usd,usd,5000000,60000000,100000000,a larger team\n",
                    encoding="utf-8")
    assert cli.main(["compare", str(mine), "--chapter", "strategy"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# what-if comparison: A = what-if: mine.csv") and "B = base" in out
    assert "strategy.reflection_monthly_burn_usd" in out and "$60.0M" in out and "$20.0M" in out
    assert "reason" not in out.lower()  # a what-if comparison is never credited to recorded model reasons
    assert all(len(line) <= 100 for line in out.splitlines()[2:])


def test_compute_says_what_it_is_doing(inputs):
    from analysis.results import compute
    steps: list[str] = []
    compute(inputs, with_sensitivity=False, progress=steps.append)
    assert [s.split(" ", 1)[0] for s in steps] == ["1/5", "2/5", "3/5", "4/5", "5/5"]
    assert "exit game" in steps[1] and "equilibrium" in steps[4]


def test_the_build_drops_kernel_warnings_and_colour_codes():
    text = (cli.REPOSITORY / "Makefile").read_text(encoding="utf-8")
    runs = text.count("tools/run_notebooks.py chapters/") + text.count("tools/build_book.py .")
    assert runs >= 3 and text.count("| sed -u $(QUIET_KERNEL)") == runs and "Kernel is running over TCP without encryption" in text
    builder = (cli.REPOSITORY / "tools" / "build_book.py").read_text(encoding="utf-8")
    assert "nocolor()" in builder and "_color_message = lambda" in builder


def test_a_symbolic_link_loop_is_a_clear_error(run, tmp_path):
    (tmp_path / "a.csv").symlink_to(tmp_path / "b.csv")
    (tmp_path / "b.csv").symlink_to(tmp_path / "a.csv")
    code, _, err = run("check", "--assumptions", str(tmp_path / "a.csv"))
    assert code == 2 and err.startswith("error: ") and "a.csv" in err and "expected" in err


def test_an_interrupted_run_says_so_without_a_traceback(monkeypatch, capsys):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr(cli, "load_inputs", interrupted)
    assert cli.main(["check"]) == 130
    assert capsys.readouterr().err.startswith("interrupted: nothing was written")


def test_a_dollar_or_a_macro_in_a_what_if_name_prints_as_it_stands():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from analysis.present.plotting import add_source, new_figure
    fig, _ = new_figure()
    name = "what-if: my$\\frac{a}{b}$ and $x$.csv"
    add_source(fig, f"Assumption set: {name}, hash 0123456789ab.")
    shown, is_math = fig.texts[0]._preprocess_math(fig.texts[0].get_text())
    fig.canvas.draw()  # mathematics that does not parse would raise here
    plt.close(fig)
    assert not is_math and name in shown.replace("\n", " ")

"""Review site parameters: a value the site cannot use is a friendly 400, never a 500;
the CSV export shows formulas instead of running them."""

from __future__ import annotations

import pytest

from bot.export import spreadsheet_safe

BAD_FILTERS = (
    "to=9999-12-31",
    "from=0001-01-01",
    "from=2026-13-45",
    "from=2026-12-02&to=2026-12-01",
    "status=nonsense",
    "platform=%00",
    "language=xx",
)
BAD_PAGING = ("page=0", "page=-1", "page=abc", "page=99999999999", "page=１", "sort=x", "dir=up")


def test_bad_parameters_are_a_friendly_400(staff_client) -> None:
    """One site for every case (each site is seeded, which takes a while)."""
    for path in ("/conversations", "/insights", "/conversations/export.csv"):
        for query in BAD_FILTERS:
            response = staff_client.get(f"{path}?{query}")
            assert response.status_code == 400, (path, query)
            assert "text/html" in response.headers["content-type"]
    for query in BAD_PAGING:
        assert staff_client.get(f"/conversations?{query}").status_code == 400, query


def test_good_parameters_still_work(staff_client) -> None:
    ok = "from=2026-01-01&to=2100-12-31&sort=updated&dir=asc&page=1&status=resolved"
    assert staff_client.get(f"/conversations?{ok}").status_code == 200
    assert staff_client.get("/insights?from=2026-01-01&to=2026-12-31").status_code == 200
    assert staff_client.get("/missed?sort=count").status_code == 200
    assert staff_client.get("/missed?sort=%27").status_code == 400


@pytest.mark.parametrize(
    "cell", ["=1+1", " =1+1", "\n=1+1", "\t=1", "\r=1", "＝1+1", "＋1", "－1", "＠SUM(A1)", "  @x"]
)
def test_csv_formulas_are_shown_not_run(cell: str) -> None:
    assert spreadsheet_safe(cell).startswith("'")


@pytest.mark.parametrize("cell", ["hei", "1+1", "mail = broken", "", None])
def test_ordinary_cells_are_unchanged(cell: str | None) -> None:
    assert spreadsheet_safe(cell) == ("" if cell is None else cell)

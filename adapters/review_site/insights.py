"""The insights page (charts over problems, steps, languages, days) and what the bot missed."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from adapters.review_site import charts
from adapters.review_site.conversations import bad_request
from adapters.review_site.params import PLATFORMS, BadParameter, parse_filters
from adapters.review_site.rendering import Labels, language_of, render
from bot.store.review.stats import Insights

OUTCOMES: tuple[str, ...] = ("worked", "not_helped", "skipped")
HALF_WIDTH = 400
STATUS_SERIES: tuple[str, ...] = ("resolved", "handed_off", "abandoned", "other")


async def insights_page(request: Request) -> Response:
    state = request.app.state
    try:
        filters = parse_filters(request.query_params)
    except BadParameter as error:
        return bad_request(request, error)
    report: Insights = await run_in_threadpool(state.store.insights, filters)
    language = language_of(request)
    labels = Labels(state.knowledge, language)

    def t(key: str) -> str:
        return str(state.strings.get(key, language))

    problems = [stats for stats in report.problems if stats.problem]
    status_chart = charts.stacked_bars(
        [
            (
                labels.problem(stats.problem),
                (
                    stats.resolved,
                    stats.handed_off,
                    stats.abandoned,
                    stats.conversations - stats.resolved - stats.handed_off - stats.abandoned,
                ),
            )
            for stats in problems
        ],
        [t(f"status_{name}") for name in STATUS_SERIES],
        t("chart_outcome_per_problem"),
    )
    step_charts = []
    for problem in dict.fromkeys(step.problem for step in report.steps):
        rows = [
            (
                f"{step.step_number}. {labels.step(step.step_id)}",
                (step.worked, step.not_helped, step.skipped),
            )
            for step in report.steps
            if step.problem == problem
        ]
        series = [t(f"outcome_{name}") for name in OUTCOMES]
        title = f"{t('chart_steps')}: {labels.problem(problem)}"
        step_charts.append(
            (labels.problem(problem), charts.stacked_bars(rows, series, title, percent=False))
        )
    context = {
        "report": report,
        "problems": problems,
        "values": {key: request.query_params.get(key, "") for key in ("from", "to", "platform")},
        "platforms": PLATFORMS,
        "status_chart": status_chart,
        "volume_chart": charts.bar_chart(
            [
                (
                    labels.problem(stats.problem) if stats.problem else t("no_problem"),
                    stats.conversations,
                )
                for stats in report.problems
            ],
            t("chart_volume_per_problem"),
        ),
        "step_charts": step_charts,
        "language_chart": charts.bar_chart(
            [(t(f"language_{code}"), count) for code, count in report.languages],
            t("chart_languages"),
            width=HALF_WIDTH,
        ),
        "platform_chart": charts.bar_chart(
            # each platform as the filter names it ("Terminal", not "Console")
            [
                (t(f"platform_{name}") if name in PLATFORMS else name, count)
                for name, count in report.platforms
            ],
            t("chart_platforms"),
            width=HALF_WIDTH,
        ),
        "daily_chart": charts.daily_chart(report.daily, t("chart_daily")),
    }
    return render(request, "insights.html", context)


async def missed_page(request: Request) -> Response:
    sort = request.query_params.get("sort") or "newest"
    if sort not in ("newest", "count"):
        return bad_request(request, BadParameter("sort"))
    by_count = sort == "count"
    report = await run_in_threadpool(request.app.state.store.missed, by_count=by_count)
    return render(request, "missed.html", {"report": report, "by_count": by_count})

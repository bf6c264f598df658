"""Horizontal stacked bar charts (QtCharts) shared by the village recap and the district reports.

A chart is categories (one bar each, drawn top to bottom in the order given) and bar sets
(a caption, a colour and one number per category); it keeps what it shows readable back as
plain numbers (:meth:`StackedBarChart.values`), so tests compare it with the tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QWidget

__all__ = ["BarSet", "StackedBarChart", "axis_top"]


@dataclass(frozen=True)
class BarSet:
    """One stacked part of every bar: its legend caption, colour and a number per category."""

    caption: str
    colour: str
    numbers: Sequence[int]


class StackedBarChart(QChartView):
    """Horizontal bars stacked by :class:`BarSet`; a bar's length is its category's sum."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.series: QHorizontalStackedBarSeries | None = None
        """The bars shown; None while nothing is."""
        chart = QChart()
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.setBackgroundRoundness(0)
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self._categories = QBarCategoryAxis()
        self._values = QValueAxis()
        self._values.setLabelFormat("%d")
        chart.addAxis(self._values, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(self._categories, Qt.AlignmentFlag.AlignLeft)
        self.setChart(chart)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.clear()

    def categories(self) -> list[str]:
        """The category labels, top to bottom."""
        return list(reversed(self._categories.categories()))

    def values(self) -> dict[str, list[int]]:
        """Each bar set's caption and its numbers in :meth:`categories` order (for checks)."""
        if self.series is None:
            return {}
        return {
            s.label(): [int(s.at(i)) for i in reversed(range(s.count()))]
            for s in self.series.barSets()
        }

    def show_bars(self, categories: Sequence[str], sets: Sequence[BarSet]) -> None:
        """Draw bars: one per category (top to bottom), stacked by ``sets``."""
        self.clear()
        chart = self.chart()
        series = QHorizontalStackedBarSeries()
        series.setBarWidth(0.6)
        for part in sets:
            bar_set = QBarSet(part.caption)
            bar_set.setColor(QColor(part.colour))
            bar_set.setBorderColor(QColor(part.colour))
            # a horizontal bar chart draws its first category at the bottom
            bar_set.append([float(n) for n in reversed(part.numbers)])
            series.append(bar_set)
        chart.addSeries(series)
        self._categories.append(list(reversed(categories)))
        sums = [sum(part.numbers[i] for part in sets) for i in range(len(categories))]
        top, step = axis_top(max(sums, default=0))
        self._values.setRange(0, top)
        self._values.setTickCount(top // step + 1)
        series.attachAxis(self._values)
        series.attachAxis(self._categories)
        self.series = series

    def clear(self) -> None:
        """Remove the bars and the labels."""
        self.series = None
        self.chart().removeAllSeries()
        self._categories.clear()
        self._values.setRange(0, 5)
        self._values.setTickCount(6)


def axis_top(highest: int) -> tuple[int, int]:
    """A round top of the value axis and the step between whole-number ticks (≤ 6 ticks)."""
    step = 1
    while highest > step * 5:
        for factor in (2, 5, 10):
            if highest <= step * factor * 5:
                step *= factor
                break
        else:
            step *= 10
    top = max(step, -(-highest // step) * step)
    return top, step

"""Small helpers rich keeps private, copied here so that the report uses no private API of rich.

The layout shortcuts of :mod:`claimtrack.report._layout` must give the very lines rich's
``Tree``, ``Panel`` and ``Table`` give, so they loop and share out widths exactly as rich
does. Rich keeps those helpers in private modules (``rich/_loop.py``, ``rich/_ratio.py``)
and private ``Table`` methods, which may change in any release; the copies are the same
as rich's from 13.7 to 15, and the tests compare the report's lines with rich's own.
"""

# Adapted from rich (https://github.com/Textualize/rich): rich/_loop.py, rich/_ratio.py
# and the column widths of rich/table.py (Table._calculate_column_widths and
# Table._collapse_widths), under rich's licence:
#
# Copyright (c) 2020 Will McGugan
#
# Permission is hereby granted, free of charge, to any person obtaining a copy
# of this software and associated documentation files (the "Software"), to deal
# in the Software without restriction, including without limitation the rights
# to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
# copies of the Software, and to permit persons to whom the Software is
# furnished to do so, subject to the following conditions:
#
# The above copyright notice and this permission notice shall be included in all
# copies or substantial portions of the Software.
#
# THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
# IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
# FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
# AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
# LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
# OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
# SOFTWARE.

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from math import ceil
from typing import TypeVar

from rich.table import Column


T = TypeVar("T")


def loop_first(values: Iterable[T]) -> Iterator[tuple[bool, T]]:
    """Each value with a flag that is true for the first one only (rich's ``loop_first``)."""
    iter_values = iter(values)
    try:
        value = next(iter_values)
    except StopIteration:
        return
    yield True, value
    for value in iter_values:
        yield False, value


def loop_last(values: Iterable[T]) -> Iterator[tuple[bool, T]]:
    """Each value with a flag that is true for the last one only (rich's ``loop_last``)."""
    iter_values = iter(values)
    try:
        previous = next(iter_values)
    except StopIteration:
        return
    for value in iter_values:
        yield False, previous
        previous = value
    yield True, previous


def ratio_distribute(
    total: int, ratios: Sequence[int], minimums: Sequence[int] | None = None
) -> list[int]:
    """*total* shared out in proportion to *ratios*, each part at least its minimum.

    Rounds up part by part as rich's ``ratio_distribute`` does, so the parts are the
    column widths rich gives; a slot whose minimum is 0 gets nothing.
    """
    if minimums:
        ratios = [ratio if minimum else 0 for ratio, minimum in zip(ratios, minimums, strict=False)]
    total_ratio = sum(ratios)
    if total_ratio <= 0:
        raise ValueError("the sum of the ratios must be positive")
    remaining = total
    parts = []
    for ratio, minimum in zip(
        ratios, [0] * len(ratios) if minimums is None else minimums, strict=False
    ):
        part = max(minimum, ceil(ratio * remaining / total_ratio)) if total_ratio > 0 else remaining
        parts.append(part)
        total_ratio -= ratio
        remaining -= part
    return parts


def ratio_reduce(
    total: int, ratios: Sequence[int], maximums: Sequence[int], values: Sequence[int]
) -> list[int]:
    """*values* less *total* in all, taken in proportion to *ratios*, at most *maximums* each.

    Rich's ``ratio_reduce``: how rich narrows a table's columns that do not fit.
    """
    ratios = [ratio if most else 0 for ratio, most in zip(ratios, maximums, strict=False)]
    total_ratio = sum(ratios)
    if not total_ratio:
        return list(values)
    remaining = total
    result = []
    for ratio, most, value in zip(ratios, maximums, values, strict=False):
        if ratio and total_ratio > 0:
            taken = min(most, round(ratio * remaining / total_ratio))
            result.append(value - taken)
            remaining -= taken
            total_ratio -= ratio
        else:
            result.append(value)
    return result


def collapse_widths(widths: list[int], wrapable: Sequence[bool], max_width: int) -> list[int]:
    """*widths* narrowed, the widest wrapable columns first, to sum to *max_width* if they can.

    ``rich.table.Table._collapse_widths``; columns that may not wrap keep their width.
    """
    total_width = sum(widths)
    excess_width = total_width - max_width
    if any(wrapable):
        while total_width and excess_width > 0:
            max_column = max(width for width, wrap in zip(widths, wrapable, strict=True) if wrap)
            second_max_column = max(
                width if wrap and width != max_column else 0
                for width, wrap in zip(widths, wrapable, strict=True)
            )
            column_difference = max_column - second_max_column
            ratios = [
                1 if (width == max_column and wrap) else 0
                for width, wrap in zip(widths, wrapable, strict=True)
            ]
            if not any(ratios) or not column_difference:
                break
            max_reduce = [min(excess_width, column_difference)] * len(widths)
            widths = ratio_reduce(excess_width, ratios, max_reduce, widths)
            total_width = sum(widths)
            excess_width = total_width - max_width
    return widths


def column_widths(
    columns: Sequence[Column],
    measure: Callable[[int, int], tuple[int, int]],
    padding_widths: Sequence[int],
    max_width: int,
    *,
    expand: bool,
    min_width: int | None,
    extra_width: int,
) -> list[int]:
    """The widths of a table's columns, padding included, borders not, as rich works them out.

    ``rich.table.Table._calculate_column_widths``: *measure* gives the least and most
    width of column *n*'s cells (padding included) within a width; *padding_widths* is
    each column's padding, *extra_width* that of the borders, *max_width* the room there is
    for the columns. Ratios share out the room when the table expands; too wide, the
    wrapable columns are narrowed, then all of them evenly, and measured again.
    """
    ranges = [measure(n, max_width) for n in range(len(columns))]
    widths = [most or 1 for _, most in ranges]
    if expand:
        ratios = [column.ratio or 0 for column in columns if column.flexible]
        if any(ratios):
            fixed_widths = [
                0 if column.flexible else most
                for (_, most), column in zip(ranges, columns, strict=True)
            ]
            flex_minimum = [
                (column.width or 1) + padding_widths[n]
                for n, column in enumerate(columns)
                if column.flexible
            ]
            flex_widths = iter(
                ratio_distribute(max_width - sum(fixed_widths), ratios, flex_minimum)
            )
            for n, column in enumerate(columns):
                if column.flexible:
                    widths[n] = fixed_widths[n] + next(flex_widths)
    table_width = sum(widths)

    if table_width > max_width:
        widths = collapse_widths(
            widths, [column.width is None and not column.no_wrap for column in columns], max_width
        )
        table_width = sum(widths)
        # the last resort: narrow every column evenly
        if table_width > max_width:
            widths = ratio_reduce(table_width - max_width, [1] * len(widths), widths, widths)
            table_width = sum(widths)
        widths = [measure(n, width)[1] or 0 for n, width in enumerate(widths)]

    if (table_width < max_width and expand) or (
        min_width is not None and table_width < min_width - extra_width
    ):
        room = max_width if min_width is None else min(min_width - extra_width, max_width)
        pads = ratio_distribute(room - table_width, widths)
        widths = [width + pad for width, pad in zip(widths, pads, strict=True)]
    return widths

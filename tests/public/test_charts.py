from arobase.public.charts import HEIGHT, MARGIN_BOTTOM, bar_chart, stacked_chart


def test_ticks_are_round_and_compact():
    assert [t["value"] for t in bar_chart([("a", 9_500_000)])["ticks"]] == ["0", "2 M", "4 M", "6 M", "8 M"]
    assert [t["value"] for t in bar_chart([("a", 250)])["ticks"]] == ["0", "50", "100", "150", "200", "250"]
    assert bar_chart([])["ticks"] == [] and bar_chart([("a", 0)])["bars"][0].height == 0


def test_bars_are_proportional_and_stand_on_the_baseline():
    bars = bar_chart([(2010, 1), (2011, 5)], maximum=5)["bars"]
    assert bars[1].height == 5 * bars[0].height
    assert all(bar.y + bar.height == HEIGHT - MARGIN_BOTTOM for bar in bars)


def test_stacks_hold_every_level_in_order():
    chart = stacked_chart([(2024, {"1": 1, "2": 2, "3": 0, "4": 4, "5": 5})])
    segments = chart["stacks"][0]["segments"]
    assert [s.value for s in segments] == [1, 2, 0, 4, 5]
    assert segments[0].y > segments[-1].y  # level 1 at the bottom

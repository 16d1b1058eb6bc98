import io

import pytest
from django.core.management import call_command

from arobase.labels.models import Edition, Label
from arobase.labels.palmares_csv.export import export_rows

pytestmark = pytest.mark.django_db


def levels(code):
    return {label.year: label.arobases for label in Label.objects.filter(territory__code=code)}


def test_seed_towns_read_as_their_articles_say(demo):
    assert levels("59368") == {2010: 1, 2011: 3, 2012: 3, 2013: 3, 2014: 4, **{y: 5 for y in range(2015, 2025)}}
    assert Label.objects.get(territory__code="59368", edition=2022).prize_slugs == {"territoire-excellence-numerique"}
    assert levels("78356") == {2013: 2, 2018: 4}
    assert Label.objects.get(territory__code="78356", edition=2018).mention_slugs == {"numerique-educatif"}
    assert levels("78440") == {2021: 5, 2022: 5}
    assert levels("34145") == {2022: 3, 2023: 4}
    assert levels("08480") == {2017: 1, 2018: 1, 2019: 3, 2020: 3, 2021: 4, 2022: 5, 2023: 5, 2024: 5}
    assert levels("08003") == {2024: 3}
    assert levels("08488") == {2024: 2}
    assert not Label.objects.filter(territory__code__in=["59368", "78356", "78440", "34145", "08480", "08003", "08488"], is_demo=True).exists()


def test_seed_editions(demo):
    assert Edition.objects.get(year=2023).ceremony_place == "Albi"
    assert Edition.objects.get(year=2023).participants == 257
    assert Edition.objects.get(year=2024).participants == 241
    assert str(Edition.objects.get(year=2018).ceremony_date) == "2018-02-08"
    assert "Porte Dorée" in Edition.objects.get(year=2018).ceremony_place
    assert str(Edition.objects.get(year=2022).ceremony_date) == "2022-02-03"


def test_generated_palmares_is_plausible_and_flagged(demo):
    counts = {year: Label.objects.filter(edition=year).count() for year in range(2000, 2026)}
    assert 25 <= counts[2000] <= 60 and counts[2000] < counts[2003] < counts[2006]  # the label's growth
    for year in range(2008, 2026):
        assert 200 <= counts[year] <= 370, (year, counts[year])
        assert set(Label.objects.filter(edition=year).values_list("arobases", flat=True)) >= {1, 2, 3, 4, 5}
    assert Label.objects.filter(is_demo=True).count() > 5000
    assert not Label.objects.filter(edition__lt=2021, prizes__slug="territoire-excellence-numerique").exists()
    assert Label.objects.filter(is_demo=True, prizes__slug="territoire-excellence-numerique").exists()


def test_demo_is_idempotent_and_deterministic(demo):
    def snapshot():
        return list(export_rows(include_demo=True))
    first = snapshot()
    call_command("demo", stdout=io.StringIO())
    assert snapshot() == first


def test_demo_never_overwrites_real_labels(demo, tmp_path):
    label = Label.objects.filter(is_demo=True, edition=2020).first()
    path = tmp_path / "real.csv"
    path.write_text(f"annee,code,arobases,mentions,prix\n2020,{label.territory.code},1,,\n")
    call_command("import_palmares", str(path), stdout=io.StringIO())
    call_command("demo", stdout=io.StringIO())
    real = Label.objects.get(territory=label.territory, edition=2020)
    assert (real.arobases, real.is_demo) == (1, False)


def test_demo_without_reference_data_is_a_clear_error(db):
    from django.core.management import CommandError

    from arobase.territories.models import Territory

    Territory.objects.filter(code__in=["59368", "34145"], kind="commune").delete()  # seed towns missing (deleting all 36 000 takes minutes)
    with pytest.raises(CommandError, match="import_territories"):
        call_command("demo", stdout=io.StringIO())

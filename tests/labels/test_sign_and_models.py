import pytest
from django.db import IntegrityError, transaction

from arobase.labels.models import Edition, Label
from arobase.labels.sign import render_sign
from arobase.territories.models import Territory


@pytest.mark.parametrize("category, title", [("village", "Village Internet"), ("ville", "Ville Internet"), ("territoire", "Territoire Internet")])
def test_sign_title_follows_the_category(category, title):
    svg = render_sign(category, 3, 2024)
    assert f">{title}</text>" in svg and svg.count(">@</text>") == 3 and ">2024</text>" in svg


def test_sign_of_a_hors_concours_label_and_escaping():
    svg = render_sign("ville", None, 2016, territory_name="A & <B>")
    assert ">Hors concours</text>" in svg and ">@</text>" not in svg
    assert "A &amp; &lt;B&gt;" in svg and "<B>" not in svg


def test_only_one_green_arobase():
    svg = render_sign("ville", 2, 2024, green=True)
    assert svg.count('fill="#1b7f3b">@</text>') == 1


@pytest.mark.django_db
def test_database_refuses_impossible_labels():
    town = Territory.objects.get(code="59368")
    Edition.objects.create(year=2024)
    Label.objects.create(territory=town, edition_id=2024, arobases=5)
    for values in ({"arobases": 4}, ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Label.objects.create(territory=town, edition_id=2024, **values)  # one per territory and year
    other = Territory.objects.get(code="34145")
    for values in ({"arobases": 6}, {"arobases": 0}, {"arobases": None}, {"arobases": 3, "hors_concours": True}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Label.objects.create(territory=other, edition_id=2024, **values)
    Label.objects.create(territory=other, edition_id=2024, arobases=None, hors_concours=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Edition.objects.create(year=1999)

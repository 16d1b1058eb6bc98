"""The downloadable files, streamed from the database at each download: palmares.csv,
actions.csv, actions.geojson and referentiel.json."""

import json

from django.core.serializers.json import DjangoJSONEncoder

from arobase.core.csv_files import csv_stream
from arobase.referential.tree import referential_tree

from .action_table import action_chunks, action_row, geojson_feature
from .palmares_table import palmares_chunks
from .schema import ACTION_COLUMNS, PALMARES_COLUMNS


def palmares_csv(demo=False):
    return csv_stream(PALMARES_COLUMNS, palmares_chunks(demo))


def actions_csv(demo=False, base_url=""):
    return csv_stream(ACTION_COLUMNS, ([action_row(out) for out in outs] for outs in action_chunks(demo, base_url)))


def geojson_stream(demo=False, base_url=""):
    """The FeatureCollection as UTF-8 bytes: its opening, then the features one chunk at a time."""
    yield b'{"type": "FeatureCollection", "features": [\n'
    first = True
    for outs in action_chunks(demo, base_url):
        text = ",\n".join(json_text(geojson_feature(out)) for out in outs)
        yield (text if first else ",\n" + text).encode()
        first = False
    yield b"\n]}\n"


def referential():
    """The latest edition's referential, as the API gives it (`{"edition", "axes"}`)."""
    return referential_tree() or {"edition": None, "axes": []}  # nothing loaded yet: an empty tree


def referential_json():
    return (json_text(referential(), indent=1) + "\n").encode()


def json_text(data, **options):
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, **options)

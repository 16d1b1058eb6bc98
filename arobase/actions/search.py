"""French full-text search over actions and actors, the same on PostgreSQL and SQLite.

Each searchable row keeps a `search_document`: its text reduced to French stems without
accents or case ("Numériques" → "numer"). The database only has to match words, so both
engines behave alike:

- PostgreSQL: a stored, generated `search_vector` column (`to_tsvector('simple',
  search_document)`, a column the ORM does not know) with a GIN index, ranked by ts_rank;
- SQLite: an FTS5 table kept in step with the row by triggers, ranked by bm25.

The query goes through the same reduction; each word must match (as a prefix, so that
"madel" finds La Madeleine).
"""

import re
import unicodedata
from functools import lru_cache

import snowballstemmer
from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models.expressions import RawSQL

WORD = re.compile(r"[^\W_]+")
LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})
MAX_QUERY_WORDS = 12
MAX_WORD_LENGTH = 40
# Words too common to help; the stemmer keeps them as they are.
STOP_WORDS = frozenset(
    "a au aux avec ce ces dans de des du en et il la le les leur leurs ou par pour qui que sa se ses son sur un une d l".split()
)


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("french")


@lru_cache(maxsize=200_000)
def _stem(word):
    """A word's stem without accents; '' when it has no ASCII form (other scripts,
    non-Latin digits), which neither engine could match alike."""
    stem = "".join(c for c in unicodedata.normalize("NFKD", _stemmer().stemWord(word)) if not unicodedata.combining(c))
    return stem if stem.isascii() and stem.isalnum() else ""


def words(text):
    """The stems of `text`, lower case and without accents, in order."""
    if not text:
        return []
    found = (w[:MAX_WORD_LENGTH] for w in WORD.findall(unicodedata.normalize("NFKC", str(text)).lower().translate(LIGATURES)))
    return [stem for stem in (_stem(w) for w in found if w not in STOP_WORDS) if stem]


def document(*parts):
    """The search document stored for a row made of these texts."""
    return " ".join(" ".join(words(part)) for part in parts if part)


def query_words(query):
    return list(dict.fromkeys(words(query)))[:MAX_QUERY_WORDS]


class FullText:
    """Search one model's `search_document` (see the module docstring)."""

    def __init__(self, table, fts_table):
        self.table = table
        self.fts_table = fts_table

    def filter(self, queryset, query):
        """Rows matching every word of `query`; all rows for an empty query, none for a
        query that holds no word."""
        if not query or not query.strip():
            return queryset
        terms = query_words(query)
        if not terms:
            return queryset.none()
        return self._matching(queryset, terms)

    def _matching(self, queryset, terms):
        if connection.vendor == "postgresql":
            return queryset.filter(pk__in=RawSQL(
                f"SELECT id FROM {self.table} WHERE search_vector @@ to_tsquery('simple', %s)", [self._pg_terms(terms)]))
        return queryset.filter(pk__in=RawSQL(f"SELECT rowid FROM {self.fts_table} WHERE {self.fts_table} MATCH %s", [self._fts_query(terms)]))

    def ranked(self, queryset, query):
        """`filter`, best matches first, as a sequence the paginators accept.

        Bounded whatever the number of matches (docs/decisions.md): the engine ranks
        the RANKED_AMONG most recent matches the queryset allows (FTS5's bm25, PostgreSQL's
        ts_rank) and those come first; older matches follow, latest first. Each page is
        one query returning only its ids, the count is one COUNT; the rows are then
        fetched by id. No list of every match is built, no score computed for each."""
        terms = query_words(query or "")
        if not terms:  # nothing to rank: everything, or nothing for a query without words
            return RankedResults(self.filter(queryset, query or "").order_by("-pk"), None)
        return RankedResults(queryset, MatchPages(self, queryset, terms))

    def matches_sql(self, queryset, terms):
        """(FROM … WHERE clause, params, id, score) of the matches the queryset allows;
        a lower score is a better match, and is computed only where selected."""
        if connection.vendor == "postgresql":
            allowed, allowed_params = queryset.order_by().filter(pk=RawSQL("found.id", ())).values("pk").query.sql_with_params()
            return (f"FROM {self.table} AS found, to_tsquery('simple', %s) AS query WHERE found.search_vector @@ query "
                    f"AND EXISTS ({allowed})"), [self._pg_terms(terms), *allowed_params], "found.id", "-ts_rank(found.search_vector, query)"
        allowed, allowed_params = queryset.order_by().filter(pk=RawSQL("found.rowid", ())).values("pk").query.sql_with_params()
        return (f"FROM {self.fts_table} AS found WHERE found.{self.fts_table} MATCH %s AND EXISTS ({allowed})"), \
            [self._fts_query(terms), *allowed_params], "found.rowid", "found.rank"

    @staticmethod
    def _pg_terms(terms):
        return " & ".join(f"{term}:*" for term in terms)

    @staticmethod
    def _fts_query(terms):
        return " AND ".join(f'"{term}"*' for term in terms)


def sqlite_fts_sql(table, fts_table):
    """SQL creating the FTS5 table of `table` and the triggers keeping it in step."""
    return [
        f"CREATE VIRTUAL TABLE {fts_table} USING fts5(search_document, content='{table}', content_rowid='id')",
        f"INSERT INTO {fts_table}(rowid, search_document) SELECT id, search_document FROM {table}",
        f"CREATE TRIGGER {fts_table}_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts_table}(rowid, search_document) VALUES (new.id, new.search_document); END",
        f"CREATE TRIGGER {fts_table}_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts_table}({fts_table}, rowid, search_document) VALUES ('delete', old.id, old.search_document); END",
        f"CREATE TRIGGER {fts_table}_au AFTER UPDATE OF search_document ON {table} BEGIN "
        f"INSERT INTO {fts_table}({fts_table}, rowid, search_document) VALUES ('delete', old.id, old.search_document); "
        f"INSERT INTO {fts_table}(rowid, search_document) VALUES (new.id, new.search_document); END",
    ]


def pg_vector_sql(table, index_name):
    """SQL replacing the expression index by a stored vector column and its GIN index
    (ts_rank then reads the vector instead of computing it for every matching row)."""
    return [
        f"DROP INDEX IF EXISTS {index_name}",
        f"ALTER TABLE {table} ADD COLUMN search_vector tsvector "
        f"GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, COALESCE(search_document, ''))) STORED",
        f"CREATE INDEX {index_name} ON {table} USING GIN (search_vector)",
    ]


def vector_operations(table, index_name):
    from django.db import migrations

    def create(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in pg_vector_sql(table, index_name):
                schema_editor.execute(statement)

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector")

    return [migrations.RunPython(create, drop)]


def index_operations(model_name, table, fts_table, index_name):
    """Migration operations creating the engine's index (GIN or FTS5) for `model_name`."""
    from django.contrib.postgres.indexes import GinIndex
    from django.db import migrations

    def create(apps, schema_editor):
        model = apps.get_model(*model_name.split("."))
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.add_index(model, GinIndex(SearchVector("search_document", config="simple"), name=index_name))
        elif schema_editor.connection.vendor == "sqlite":
            for statement in sqlite_fts_sql(table, fts_table):
                schema_editor.execute(statement)

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {index_name}")
        elif schema_editor.connection.vendor == "sqlite":
            for suffix in ("ai", "ad", "au"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {fts_table}_{suffix}")
            schema_editor.execute(f"DROP TABLE IF EXISTS {fts_table}")

    return [migrations.RunPython(create, drop)]


ACTIONS = FullText("actions_action", "actions_action_fts")
ACTORS = FullText("actions_actor", "actions_actor_fts")


# How many of the latest matches are ranked by relevance: enough for every page a person
# reads, few enough that ranking costs the same at any size of data.
RANKED_AMONG = 500


class MatchPages:
    """The ids of any slice of a ranked search, one query per slice, and their count."""

    def __init__(self, fulltext, queryset, terms):
        self.matches, self.params, self.id, self.score = fulltext.matches_sql(queryset, terms)

    def count(self):
        return self._ids(f"SELECT COUNT(*) {self.matches}", [])[0]

    def __call__(self, offset, limit):
        def latest(columns):
            return f"SELECT {columns} {self.matches} ORDER BY {self.id} DESC LIMIT %s"

        ids = []
        if offset < RANKED_AMONG:  # the best of the latest matches
            ranked = latest(f"{self.id} AS id, {self.score} AS score")
            ids += self._ids(f"SELECT id FROM ({ranked}) AS latest ORDER BY score, id DESC LIMIT %s OFFSET %s",
                             [RANKED_AMONG, min(limit, RANKED_AMONG - offset), offset])
        if offset + limit > RANKED_AMONG:  # then the older ones, latest first
            start = max(offset, RANKED_AMONG)
            ids += self._ids(latest(self.id) + " OFFSET %s", [offset + limit - start, start])
        return ids

    def _ids(self, sql, extra):
        with connection.cursor() as cursor:
            cursor.execute(sql, [*self.params, *extra])
            return [row[0] for row in cursor.fetchall()]


class RankedResults:
    """Rows in the engine's order, fetched a page at a time (for Paginator and the API's
    pagination: `count()`, `len()` and slicing). Without `pages` (no words to rank), the
    queryset's own order."""

    def __init__(self, queryset, pages):
        self.queryset = queryset
        self.pages = pages
        self._count = None

    def count(self):
        if self._count is None:
            self._count = self.pages.count() if self.pages else self.queryset.order_by().count()
        return self._count

    __len__ = count

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop
        if start < 0 or stop is None or stop < 0 or index.step not in (None, 1):
            raise ValueError("RankedResults takes slices with positive bounds only.")
        if stop <= start:
            return []
        if self.pages is None:
            return list(self.queryset[start:stop])
        wanted = self.pages(start, stop - start)
        rows = self.queryset.filter(pk__in=wanted).in_bulk() if wanted else {}
        return [rows[pk] for pk in wanted if pk in rows]

    def __iter__(self):
        return iter(self[0 : self.count()])

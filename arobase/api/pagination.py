"""The contract's list envelope: {"count", "next", "previous", "results"} (CONTRACT §6)."""

from urllib.parse import urlencode

from ninja.errors import HttpError

MAX_PAGE_SIZE = 1000
DEFAULT_PAGE_SIZE = 20


def _page_url(request, page):
    params = request.GET.copy()
    params["page"] = page
    return request.build_absolute_uri(request.path + "?" + urlencode(sorted(params.items())))


def paginate(request, items, page, page_size, serialize):
    """Slice a queryset (or list) for page `page` (from 1); past the end is a 404."""
    count = len(items) if isinstance(items, list) else items.count()
    last_page = max(1, -(-count // page_size))
    if page > last_page:
        raise HttpError(404, f"Page {page} inexistante : la dernière est la page {last_page}.")
    start = (page - 1) * page_size
    return {
        "count": count,
        "next": _page_url(request, page + 1) if page < last_page else None,
        "previous": _page_url(request, page - 1) if page > 1 else None,
        "results": [serialize(item) for item in items[start : start + page_size]],
    }

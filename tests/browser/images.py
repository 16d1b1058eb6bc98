"""Waiting for an image to load, which Playwright's visibility checks do not do."""


def assert_image_loaded(page, locator, timeout=15_000):
    """Fail unless the image finishes loading with real pixels.

    `to_be_visible` passes as soon as the <img> has a box, which its width and height
    attributes give it before a byte arrives; reading `naturalWidth` right then raced the
    server on a busy CI machine. Waiting for `complete` fails only on a broken image
    (complete, naturalWidth 0) or one that never arrives (timeout).
    """
    handle = locator.element_handle()
    page.wait_for_function("img => img.complete", arg=handle, timeout=timeout)
    assert page.evaluate("img => img.naturalWidth", handle) > 0, "l'image n'a pas pu être chargée"

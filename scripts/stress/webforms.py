"""Reading HTML forms the way a browser submits them (standard library only).

Shared by the locustfile and the runner (`scripts/stress.py`): a page's forms are
parsed into their action, method and the fields a browser would send unchanged
(checked boxes, selected options, textareas, hidden inputs such as the CSRF token),
plus the choices each checkbox or select offers, so that a virtual user fills in the
real form instead of a hand-written copy of it.
"""

import re
from html.parser import HTMLParser
from urllib.parse import urljoin


class Form:
    def __init__(self, action, method, attrs):
        self.action, self.method, self.attrs = action, method, attrs
        self.fields = []  # (name, value) as a browser would send them, in order
        self.choices = {}  # name -> [values offered] (checkboxes, radios, selects)
        self.buttons = []  # (name, value) of submit buttons

    def values(self):
        """{name: value or [values]} of what the browser would send unchanged."""
        data = {}
        for name, value in self.fields:
            if name in data:
                data[name] = (data[name] if isinstance(data[name], list) else [data[name]]) + [value]
            else:
                data[name] = value
        return data

    def has(self, name):
        return any(field == name for field, _ in self.fields) or name in self.choices

    def __repr__(self):
        return f"<Form {self.method} {self.action} {sorted({n for n, _ in self.fields} | set(self.choices))}>"


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.form = [], None
        self.textarea = self.select = None
        self.text = []
        self.option = None

    def handle_starttag(self, tag, attrs):
        attrs = {key: (value if value is not None else "") for key, value in attrs}
        if tag == "form":
            self.form = Form(attrs.get("action", ""), attrs.get("method", "get").lower(), attrs)
            self.forms.append(self.form)
            return
        if self.form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name and "disabled" not in attrs:
            kind = attrs.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                self.form.choices.setdefault(name, []).append(attrs.get("value", "on"))
                if "checked" in attrs:
                    self.form.fields.append((name, attrs.get("value", "on")))
            elif kind in ("submit", "button", "image"):
                self.form.buttons.append((name, attrs.get("value", "")))
            elif kind != "file":
                self.form.fields.append((name, attrs.get("value", "")))
        elif tag == "button" and name:
            self.form.buttons.append((name, attrs.get("value", "")))
        elif tag == "textarea" and name and "disabled" not in attrs:
            self.textarea, self.text = name, []
        elif tag == "select" and name and "disabled" not in attrs:
            self.select = {"name": name, "options": [], "selected": []}
        elif tag == "option" and self.select is not None:
            self.option = {"value": attrs.get("value"), "selected": "selected" in attrs, "text": []}

    def handle_data(self, data):
        if self.textarea is not None:
            self.text.append(data)
        if self.option is not None:
            self.option["text"].append(data)

    def handle_endtag(self, tag):
        if tag == "textarea" and self.textarea is not None and self.form is not None:
            # As in browsers: one newline right after <textarea> is not part of the value.
            value = "".join(self.text)
            self.form.fields.append((self.textarea, value[1:] if value.startswith("\n") else value))
            self.textarea = None
        elif tag == "option" and self.option is not None and self.select is not None:
            value = self.option["value"] if self.option["value"] is not None else "".join(self.option["text"]).strip()
            self.select["options"].append(value)
            if self.option["selected"]:
                self.select["selected"].append(value)
            self.option = None
        elif tag == "select" and self.select is not None and self.form is not None:
            select = self.select
            self.form.choices[select["name"]] = select["options"]
            chosen = select["selected"] or select["options"][:1]
            self.form.fields.extend((select["name"], value) for value in chosen)
            self.select = None
        elif tag == "form":
            self.form = None


def forms(html, base_url=""):
    """Every form of the page, actions made absolute against `base_url`."""
    parser = _Parser()
    parser.feed(html)
    parser.close()
    for form in parser.forms:
        form.action = urljoin(base_url, form.action) if base_url else form.action
    return parser.forms


def form_with(html, field, base_url="", **attrs):
    """The first form that sends `field` (e.g. "title", "question-", "submit"), or None.
    A field ending with "-" matches any field starting with it."""
    for form in forms(html, base_url):
        names = {name for name, _ in form.fields} | set(form.choices)
        if any(name == field or (field.endswith("-") and name.startswith(field)) for name in names):
            if all(form.values().get(key) == value for key, value in attrs.items()):
                return form
    return None


CSRF_FIELD = "csrfmiddlewaretoken"


def csrf_token(html):
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return match.group(1) if match else None

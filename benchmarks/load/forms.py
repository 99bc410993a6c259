"""The POST forms of a page and their fields, for the load test and the fault script."""

from html.parser import HTMLParser


class FormParser(HTMLParser):
    """The fields of the POST forms on a page, with the values the page gives them."""

    def __init__(self):
        super().__init__()
        self.forms, self._form, self._select, self._textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "option" and self._select and self._form is not None:
            if "selected" in a:
                self._form["fields"][self._select] = a.get("value", "")
            return
        if tag == "form" and a.get("method", "").lower() == "post":
            self._form = {"action": a.get("action", ""), "fields": {}, "enctype": a.get("enctype")}
            self.forms.append(self._form)
        if self._form is None or not a.get("name"):
            return
        fields = self._form["fields"]
        if tag == "input":
            kind = a.get("type", "text")
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    fields[a["name"]] = a.get("value", "on")
            elif kind not in {"file", "submit", "button"}:
                fields[a["name"]] = a.get("value", "")
        elif tag == "select":
            self._select = a["name"]
            if "multiple" not in a:  # an empty multiple choice sends nothing at all
                fields.setdefault(self._select, "")
        elif tag == "textarea":
            self._textarea = a["name"]
            fields[self._textarea] = ""

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form["fields"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def post_form(html, marker=""):
    """The page's main POST form (most fields; the header's sign-out and language forms are
    small) whose action contains `marker`, with its fields."""
    parser = FormParser()
    parser.feed(html)
    forms = [
        form
        for form in parser.forms
        if marker in (form["action"] or "") and "csrfmiddlewaretoken" in form["fields"]
    ]
    return max(forms, key=lambda form: len(form["fields"]), default=None)

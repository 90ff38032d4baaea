from datetime import date

from django.urls import register_converter


class DateConverter:
    """YYYY-MM-DD in URLs, a datetime.date in views; impossible dates do not match."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value):
        return date.fromisoformat(value)

    def to_url(self, value):
        return value.isoformat() if isinstance(value, date) else str(value)


register_converter(DateConverter, "date")

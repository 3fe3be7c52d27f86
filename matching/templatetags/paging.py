from django import template

register = template.Library()


@register.simple_tag
def page_numbers(page):
    """The page numbers to offer: the first, the last and two either side of the
    current one, with an ellipsis between (Django's elided range)."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))

from django import template
from django.utils.safestring import mark_safe

from backcoach.library.figures import render_pose

register = template.Library()


@register.simple_tag
def technique_figure(technique, id_suffix: str = "") -> str:
    """The technique's pose as inline SVG; alt text comes from its instructions."""
    svg = render_pose(
        technique.pose,
        title=f"{technique.name}: the position",
        description=" ".join(technique.instructions),
        id_prefix=f"figure-{technique.slug}{id_suffix}",
    )
    return mark_safe(svg)  # noqa: S308 - built by our renderer, every text escaped


@register.filter
def minutes(seconds: int) -> str:
    whole, rest = divmod(int(seconds), 60)
    if not whole:
        return f"{rest} s"
    return f"{whole} min" if not rest else f"{whole} min {rest} s"

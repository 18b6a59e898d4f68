from django import template
from django.utils.safestring import mark_safe

from backcoach.library import vocabulary
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
    return vocabulary.duration_text(seconds)


@register.filter
def side(step_side: str) -> str:
    """ ", left side" for one side, nothing for both: to follow a duration."""
    text = vocabulary.side_text(step_side)
    return f", {text}" if text else ""

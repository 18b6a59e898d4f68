import pytest
from django.urls import reverse

from backcoach.library.models import Technique

INDEX = reverse("library:index")


@pytest.mark.django_db
def test_the_library_lists_routines_and_techniques(client, library):
    page = client.get(INDEX).content.decode()
    assert "Bedtime back self-massage" in page
    assert "Tonight&#x27;s default" in page or "Tonight's default" in page
    assert page.count('class="pose-figure"') == len(library.techniques)


@pytest.mark.django_db
def test_it_filters_by_equipment_area_and_minutes(client, library):
    response = client.get(INDEX, {"equipment": "foam-roller", "area": "lower-back", "minutes": 10})
    techniques = response.context["techniques"]
    assert techniques
    for technique in techniques:
        assert "foam-roller" in technique.equipment
        assert "lower-back" in technique.body_areas
        assert technique.min_duration <= 600
    for routine in response.context["routines"]:
        assert routine.total_seconds <= 600


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        {"minutes": "ten"},
        {"minutes": "-3"},
        {"minutes": "9" * 40},
        {"area": "elbow"},
        {"equipment": "<script>"},
        {"position": ""},
    ],
)
def test_bad_filters_show_an_error_and_everything(client, library, query):
    response = client.get(INDEX, query)
    assert response.status_code == 200
    if any(query.values()):
        assert response.context["form"].errors
    assert len(response.context["techniques"]) == len(library.techniques)


@pytest.mark.django_db
def test_a_technique_page_has_steps_cues_cautions_and_sources(client, library):
    technique = Technique.objects.get(slug="bedtime-back-self-massage")
    page = client.get(technique.get_absolute_url()).content.decode()
    for instruction in technique.instructions[:2]:
        assert instruction.replace("'", "&#x27;") in page
    assert "What you will hear" in page
    assert "When to take care" in page
    assert "Is this backed by evidence?" in page
    assert technique.sources.first().url in page


@pytest.mark.django_db
def test_an_unknown_or_hidden_technique_is_404(client, library):
    assert client.get(reverse("library:technique", args=["nope"])).status_code == 404
    Technique.objects.filter(slug="bedtime-back-self-massage").update(is_active=False)
    url = reverse("library:technique", args=["bedtime-back-self-massage"])
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_a_routine_page_lists_its_steps_with_times(client, library):
    page = client.get(reverse("library:routine", args=["bedtime-back-self-massage"]))
    assert page.context["total"] == 300
    assert "5 minutes in all" in page.content.decode()


@pytest.mark.django_db
def test_the_builder_page_builds_tonights_routine(client, library):
    response = client.get(reverse("library:build"), {"minutes": 5, "in_bed": "on", "pain": 3})
    plan = response.context["plan"]
    assert plan.total == 300
    assert plan.steps[0].technique == "bedtime-back-self-massage"


@pytest.mark.django_db
def test_the_builder_page_explains_when_nothing_fits(client, library):
    response = client.get(
        reverse("library:build"),
        {
            "minutes": 5,
            "pain": 3,
            "avoid_positions": [
                "lying-on-back",
                "lying-on-front",
                "side-lying",
                "sitting",
                "standing",
                "kneeling",
            ],
        },
    )
    assert "No technique fits" in response.context["reason"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        {"minutes": "1", "pain": "3"},
        {"minutes": "31", "pain": "3"},
        {"minutes": "x", "pain": "3"},
        {"minutes": "5", "pain": "11"},
        {"minutes": "5", "pain": "3", "equipment": "rocket"},
        {"minutes": "5", "pain": "3", "conditions": "x" * 5000},
    ],
)
def test_the_builder_page_rejects_bad_input_clearly(client, library, query):
    response = client.get(reverse("library:build"), query)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "plan" not in response.context


def queries_for(client, url, params=None) -> int:
    """How many queries a page took; a page that failed is never counted as cheap."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return len(queries)


LIBRARY_PAGES = [
    (INDEX, None),
    (INDEX, {"area": "lower-back", "minutes": 10}),
    (reverse("library:technique", args=["bedtime-back-self-massage"]), None),
    (reverse("library:routine", args=["bedtime-back-self-massage"]), None),
    (reverse("library:build"), {"minutes": 10, "pain": 2, "in_bed": "on"}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "params"), LIBRARY_PAGES)
def test_the_library_pages_take_the_same_queries_whatever_the_library_holds(
    client, library, url, params
):
    from tests.factories import make_routine, make_technique

    shipped = queries_for(client, url, params)
    assert shipped <= 6
    for _ in range(10):
        make_routine(techniques=[make_technique(), make_technique()])
    assert queries_for(client, url, params) == shipped


@pytest.mark.django_db
def test_a_missing_library_page_is_not_counted_as_cheap(client, library):
    with pytest.raises(AssertionError, match="404"):
        queries_for(client, reverse("library:technique", args=["no-such-technique"]))

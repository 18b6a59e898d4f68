import pytest

from backcoach.library import services
from backcoach.library.models import Routine, Technique
from tests.factories import make_person


@pytest.mark.django_db
def test_staff_edit_a_technique_in_the_admin_and_the_checksum_notices(client, library):
    staff = make_person(is_staff=True, is_superuser=True)
    client.force_login(staff)
    technique = Technique.objects.get(slug="knee-to-chest")
    url = f"/admin/library/technique/{technique.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data.update(
        name="Knee hug",
        body_areas=technique.body_areas,
        equipment=technique.equipment,
        excludes=technique.excludes,
        sources=[s.pk for s in technique.sources.all()],
        instructions='["Hug one knee."]',
        cues='[{"at": 0, "say": "Hug a knee."}]',
        cautions="[]",
        pose=form["pose"].value(),
    )
    data = {k: v for k, v in data.items() if v is not None}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Technique.objects.get(pk=technique.pk).name == "Knee hug"
    assert "edited in the admin" in services.library_status(library)


@pytest.mark.django_db
def test_the_admin_lists_and_opens_routines(client, library):
    client.force_login(make_person(is_staff=True, is_superuser=True))
    routine = Routine.objects.get(is_default=True)
    assert client.get("/admin/library/routine/").status_code == 200
    assert client.get(f"/admin/library/routine/{routine.pk}/change/").status_code == 200
    assert client.get("/admin/library/technique/add/").status_code == 403

from django.urls import path, register_converter

from . import views


class TrackName:
    """A track's name: 64 hex digits (a hash); any other name is not found."""

    regex = "[0-9a-f]{64}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(TrackName, "track")

app_name = "player"

urlpatterns = [
    path("tonight/", views.tonight, name="tonight"),
    path("history/", views.history, name="history"),
    path("tracks/<track:track>.mp3", views.track, name="track"),
    path("<slug:routine>/track/", views.track_request, name="track_request"),
    path("<slug:routine>/", views.play, name="play"),
]

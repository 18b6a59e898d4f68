from django import forms

from .models import CalendarFeed


class CalendarFeedForm(forms.ModelForm):
    class Meta:
        model = CalendarFeed
        fields = ("lead_minutes",)
        widgets = {"lead_minutes": forms.NumberInput(attrs={"inputmode": "numeric"})}

// Pre-selects the device's time zone on forms that ask for one, so that most people
// never have to scroll through the list. Without JavaScript the server default stays.
const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
for (const select of document.querySelectorAll("select[data-detect-time-zone]")) {
  if (zone && [...select.options].some((option) => option.value === zone)) {
    select.value = zone;
  }
}

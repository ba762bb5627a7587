// "Use my location": progressive enhancement for the search forms. Without JavaScript, or
// without permission, people type a place instead; nothing here is needed for the search.
(function () {
  'use strict';
  if (!('geolocation' in navigator)) return;
  document.querySelectorAll('[data-locate]').forEach(function (button) {
    var form = button.form;
    if (!form) return;
    button.hidden = false;
    button.addEventListener('click', function () {
      button.disabled = true;
      navigator.geolocation.getCurrentPosition(
        function (position) {
          // Two decimal places (about a kilometre) is precise enough to find help nearby, and
          // says no more than that about where the person is.
          form.elements.lat.value = position.coords.latitude.toFixed(2);
          form.elements.lon.value = position.coords.longitude.toFixed(2);
          form.elements.place.value = '';
          form.submit();
        },
        function () {
          button.disabled = false;
          var note = form.querySelector('[data-locate-failed]');
          if (note) note.hidden = false;
        },
        { maximumAge: 600000, timeout: 15000 }
      );
    });
  });
})();

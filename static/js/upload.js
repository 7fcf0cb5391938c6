// Upload form: refuse a file over the size limit before sending it, so
// the user gets the message at once instead of after a long upload. The
// server checks again.
(function () {
  'use strict';
  var form = document.getElementById('upload-form');
  var input = document.getElementById('file');
  var error = document.getElementById('file-client-error');
  if (!form || !input || !error) { return; }
  var max = Number(input.getAttribute('data-max-bytes'));
  function tooLarge() {
    return input.files && input.files.length > 0 && input.files[0].size > max;
  }
  function show(on) {
    error.hidden = !on;
    error.textContent = on ? input.getAttribute('data-too-large') : '';
    var ids = (input.getAttribute('aria-describedby') || '').split(' ').filter(function (id) { return id && id !== 'file-client-error'; });
    if (on) { ids.push('file-client-error'); }
    input.setAttribute('aria-describedby', ids.join(' '));
    if (on) { input.setAttribute('aria-invalid', 'true'); } else if (!document.getElementById('file-error')) { input.removeAttribute('aria-invalid'); }
  }
  input.addEventListener('change', function () { show(tooLarge()); });
  form.addEventListener('submit', function (e) {
    if (tooLarge()) {
      e.preventDefault();
      show(true);
      input.focus();
    }
  });
}());

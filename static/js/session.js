// Warns before a signed-in session ends for inactivity and offers to
// extend it (KWCAG 6.2.1). Without JavaScript the extend form still works
// as a normal post.
(function () {
  'use strict';
  var box = document.getElementById('session-warning');
  if (!box) { return; }
  var form = document.getElementById('session-extend-form');
  var left = document.getElementById('session-remaining');
  var ended = document.getElementById('session-ended');
  var end = Date.parse(box.getAttribute('data-session-end'));
  var warnBefore = 2 * 60 * 1000;
  var lastSpoken = '';

  function format(ms) {
    var s = Math.max(0, Math.round(ms / 1000));
    var m = Math.floor(s / 60);
    var r = s % 60;
    return (m > 0 ? box.getAttribute('data-min').replace('%d', m) + ' ' : '') +
      box.getAttribute('data-sec').replace('%d', r);
  }

  function tick() {
    var ms = end - Date.now();
    if (ms > warnBefore) {
      box.hidden = true;
      return;
    }
    box.hidden = false;
    if (ms <= 0) {
      form.hidden = true;
      left.parentNode.hidden = true;
      ended.hidden = false;
      return;
    }
    // Update the live text every 30 seconds, not every second, so screen
    // readers are not flooded.
    var text = format(Math.ceil(ms / 30000) * 30000);
    if (text !== lastSpoken) {
      left.textContent = text;
      lastSpoken = text;
    }
  }

  form.addEventListener('submit', function (e) {
    if (!window.fetch) { return; }
    e.preventDefault();
    var token = form.querySelector('input[name=_csrf]').value;
    fetch(form.action, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'X-CSRF-Token': token, 'Accept': 'application/json' }
    }).then(function (res) {
      if (!res.ok) { throw new Error('extend failed: ' + res.status); }
      return res.json();
    }).then(function (data) {
      end = Date.parse(data.session_end);
      tick();
    }).catch(function () { form.submit(); });
  });

  tick();
  setInterval(tick, 1000);
})();

// Review list: a "select all" box for the approval of several values. The
// list works without it; the box stays hidden when scripts do not run.
(function () {
  'use strict';
  var all = document.getElementById('pick-all');
  if (!all) { return; }
  var boxes = Array.prototype.slice.call(document.querySelectorAll('input[name="pick"]'));
  function sync() {
    var ticked = boxes.filter(function (b) { return b.checked; }).length;
    all.checked = ticked === boxes.length && ticked > 0;
    all.indeterminate = ticked > 0 && ticked < boxes.length;
  }
  all.addEventListener('change', function () {
    boxes.forEach(function (b) { b.checked = all.checked; });
  });
  boxes.forEach(function (b) { b.addEventListener('change', sync); });
  all.closest('label').hidden = false;
  document.querySelector('.pick-label').classList.add('sr-only');
  sync();
})();

// Keyboard movement in the entry grid: arrow keys move between cells
// (left and right only at the edge of the text), Enter moves down and
// Shift+Enter up, so a column of months can be typed without the mouse.
(function () {
  'use strict';
  var grid = document.querySelector('.entry-grid');
  if (!grid) { return; }
  function cell(r, c) {
    return grid.querySelector('input.cell-input[data-row="' + r + '"][data-col="' + c + '"]');
  }
  function move(input, dr, dc) {
    var r = Number(input.getAttribute('data-row'));
    var c = Number(input.getAttribute('data-col'));
    for (var i = 1; i <= 12; i++) {
      var next = cell(r + dr * i, c + dc * i);
      if (next) { next.focus(); next.select(); return true; }
      if (dr !== 0 && !grid.querySelector('input.cell-input[data-row="' + (r + dr * i) + '"]')) { break; }
      if (dc !== 0 && (c + dc * i < 0 || c + dc * i > 11)) { break; }
    }
    return false;
  }
  grid.addEventListener('keydown', function (e) {
    var t = e.target;
    if (!t.classList || !t.classList.contains('cell-input')) { return; }
    var atStart = t.selectionStart === 0 && t.selectionEnd === 0;
    var atEnd = t.selectionStart === t.value.length;
    var moved = false;
    switch (e.key) {
      case 'ArrowUp': moved = move(t, -1, 0); break;
      case 'ArrowDown': moved = move(t, 1, 0); break;
      case 'ArrowLeft': if (atStart) { moved = move(t, 0, -1); } break;
      case 'ArrowRight': if (atEnd) { moved = move(t, 0, 1); } break;
      case 'Enter': moved = move(t, e.shiftKey ? -1 : 1, 0) || true; break;
    }
    if (moved) { e.preventDefault(); }
  });
  // The open months are at the right of a wide grid: bring the first cell
  // with a problem, or else the first open cell, into view without moving
  // the focus.
  var wrap = grid.closest('.entry-wrap');
  var first = grid.querySelector('input.cell-input[aria-invalid="true"]') || grid.querySelector('input.cell-input');
  if (wrap && first) {
    var head = grid.querySelector('th[scope="row"]');
    wrap.scrollLeft = Math.max(0, first.closest('td').offsetLeft - (head ? head.offsetWidth : 0) - 8);
  }
  // Some input methods deliver Enter as a separate keypress; it must not
  // submit the form either.
  grid.addEventListener('keypress', function (e) {
    if (e.key === 'Enter' && e.target.classList && e.target.classList.contains('cell-input')) {
      e.preventDefault();
    }
  });
})();

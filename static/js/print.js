// print.js writes the report's title and today's date into custom
// properties on <html>. The print stylesheet shows them in the page margin
// (@page in app.css); CSP allows such CSSOM changes, unlike a style
// attribute. A page without data-print-label prints without them.
(function () {
  'use strict';

  // cssString quotes s for a CSS content value.
  function cssString(s) {
    return '"' + s.replace(/["\\]/g, '\\$&').replace(/\s+/g, ' ') + '"';
  }

  // today is the date in Korea, written as the pages write dates
  // (2020. 3. 31. in Korean, 31 Mar 2020 in English): layout is the
  // language's Go time layout (2006 year, 1 or 01 month, Jan month name,
  // 2 or 02 day) and months its short month names.
  function today(layout, months) {
    var d = new Date(Date.now() + 9 * 3600 * 1000); // KST has no daylight saving
    var y = d.getUTCFullYear(), m = d.getUTCMonth(), day = d.getUTCDate();
    var pad = function (n) { return (n < 10 ? '0' : '') + n; };
    var parts = {'2006': y, 'Jan': months[m], '01': pad(m + 1), '1': m + 1, '02': pad(day), '2': day};
    return layout.replace(/2006|Jan|01|02|1|2/g, function (t) { return parts[t]; });
  }

  function stamp() {
    var src = document.querySelector('[data-print-label]');
    if (!src) {
      return;
    }
    var root = document.documentElement;
    root.style.setProperty('--print-date', cssString(src.getAttribute('data-print-label') + ' ' + today(src.getAttribute('data-print-layout'), src.getAttribute('data-print-months').split(','))));
    root.style.setProperty('--print-title', cssString(src.getAttribute('data-print-title') || ''));
  }

  stamp();
  window.addEventListener('beforeprint', stamp);
})();

// print.js writes the report's title and today's date into custom
// properties on <html>. The print stylesheet shows them in the page margin
// (@page in app.css); CSP allows such CSSOM changes, unlike a style
// attribute. A page without data-print-label prints without them.
(function () {
  'use strict';

  var months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

  // cssString quotes s for a CSS content value.
  function cssString(s) {
    return '"' + s.replace(/["\\]/g, '\\$&').replace(/\s+/g, ' ') + '"';
  }

  // today is the date in Korea, written as the pages write dates:
  // 2020. 3. 31. in Korean, 31 Mar 2020 in English.
  function today(en) {
    var d = new Date(Date.now() + 9 * 3600 * 1000); // KST has no daylight saving
    var y = d.getUTCFullYear(), m = d.getUTCMonth(), day = d.getUTCDate();
    return en ? day + ' ' + months[m] + ' ' + y : y + '. ' + (m + 1) + '. ' + day + '.';
  }

  function stamp() {
    var src = document.querySelector('[data-print-label]');
    if (!src) {
      return;
    }
    var root = document.documentElement;
    root.style.setProperty('--print-date', cssString(src.getAttribute('data-print-label') + ' ' + today(root.lang === 'en')));
    root.style.setProperty('--print-title', cssString(src.getAttribute('data-print-title') || ''));
  }

  stamp();
  window.addEventListener('beforeprint', stamp);
})();

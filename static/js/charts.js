// Draws every chart on the page. Each chart is a <div data-chart="ID">
// whose ECharts option sits in <script type="application/json" id="ID">,
// written there by the server. No inline script is needed.
(function () {
  'use strict';

  function init() {
    if (!window.echarts) {
      return;
    }
    var nodes = document.querySelectorAll('[data-chart]');
    Array.prototype.forEach.call(nodes, function (node) {
      var source = document.getElementById(node.getAttribute('data-chart'));
      if (!source) {
        return;
      }
      var option;
      try {
        option = JSON.parse(source.textContent);
      } catch (e) {
        node.setAttribute('data-chart-error', 'bad option');
        return;
      }
      var label = node.getAttribute('aria-label');
      var chart = window.echarts.init(node, null, { renderer: 'canvas' });
      chart.setOption(option);
      // ECharts sets its own aria-label; keep the server's sentence, which
      // matches the table under the chart.
      if (label) {
        node.setAttribute('aria-label', label);
      }
      node.setAttribute('data-chart-ready', 'true');
      if (window.ResizeObserver) {
        new ResizeObserver(function () { chart.resize(); }).observe(node);
      }
    });
  }

  function start() {
    // Draw once the Korean web font is ready, so canvas text uses it.
    if (document.fonts && document.fonts.ready) {
      document.fonts.ready.then(init, init);
    } else {
      init();
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();

// Custom ECharts 6.1.0 bundle for jobkpi.
// Registers only what the dashboard uses; everything else is tree-shaken away.
// Rebuild with ./build.sh (output: ../echarts.min.js, exposed as window.echarts).
import * as echarts from 'echarts/core';
import { BarChart, LineChart, PieChart, GaugeChart } from 'echarts/charts';
import {
  TitleComponent,
  TooltipComponent,
  GridComponent,
  LegendComponent,
  DatasetComponent,
  AriaComponent,
  MarkLineComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  BarChart,
  LineChart,
  PieChart,
  GaugeChart,
  TitleComponent,
  TooltipComponent,
  GridComponent,
  LegendComponent,
  DatasetComponent,
  AriaComponent,
  MarkLineComponent,
  CanvasRenderer,
]);

// Expose the namespace (init, getInstanceByDom, use, registerTheme, ...) as window.echarts.
// globalThis is used so the bundle also loads in non-browser test harnesses.
(typeof window !== 'undefined' ? window : globalThis).echarts = echarts;

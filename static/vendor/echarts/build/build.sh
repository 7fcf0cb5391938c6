#!/usr/bin/env bash
# Rebuild ../echarts.min.js (custom ECharts 6.1.0 bundle) from entry.js.
# Needs node >= 18 and access to the npm registry (or a populated npm cache).
set -euo pipefail
cd "$(dirname "$0")"

npm ci --no-audit --no-fund

./node_modules/.bin/esbuild entry.js \
  --bundle \
  --minify \
  --format=iife \
  --target=es2019 \
  --platform=browser \
  --legal-comments=none \
  --define:process.env.NODE_ENV='"production"' \
  --banner:js='/*! Apache ECharts 6.1.0 (custom build: bar,line,pie,gauge; title,tooltip,grid,legend,dataset,aria,markLine; canvas) | Apache-2.0 | see LICENSE and NOTICE in this directory */' \
  --outfile=../echarts.min.js

# Licence files of everything that ends up in the bundle.
cp node_modules/echarts/LICENSE node_modules/echarts/NOTICE ../
mkdir -p ../licenses
cp node_modules/echarts/licenses/LICENSE-d3 ../licenses/LICENSE-d3
cp node_modules/zrender/LICENSE ../licenses/LICENSE-zrender
cp node_modules/tslib/LICENSE.txt ../licenses/LICENSE-tslib

ls -l ../echarts.min.js

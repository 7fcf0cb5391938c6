// Cut a small KRDS subset stylesheet out of the krds-uiux 1.1.0 npm package.
//
//   node cut.mjs            (reads ./node_modules/krds-uiux, writes ../krds.css and ../img/icon/*.svg)
//   KRDS_DIR=/path/to/krds-uiux/package node cut.mjs
//
// Uses node built-ins only. Inputs (never resources/cdn/krds.min.css, which loads icons from
// an outside host):
//   resources/css/token/krds_tokens.css      design tokens (one big :root block)
//   resources/css/common/common.css          :root helpers, .svg-icon icon classes, dropdown, reset
//   resources/css/component/component.css   all components, one section per SCSS partial
//   resources/img/component/icon/*.svg       icons (only the ones the kept rules reference)
//
// What the cut does:
//   * component.css is split at its top-level section comments (one per SCSS partial, e.g. "/* 표 */");
//     only the sections in KEEP_SECTIONS survive.
//   * common.css: the :root helpers, the reset/typography/sr-only/focus part and the .svg-icon
//     classes listed in KEEP_ICONS survive; the dropdown (.krds-drop-wrap) part and the other
//     icon classes are dropped.
//   * High-contrast / OS-dark-mode variants ([data-krds-mode=high-contrast], [data-krds-mode=theme])
//     are dropped: they only apply when KRDS's own JS sets data-krds-mode, which we do not ship.
//   * Tokens: only the custom properties that the kept rules use (transitively) are emitted.
//   * The font token is pointed at the vendored PretendardGOV family (see ../../fonts/fonts.css).
//   * url()s are rewritten to img/icon/<file>.svg next to krds.css and those files are copied.
//     (component.css in the package uses a broken "../../img/img/..." path; both forms are handled.)
//   * Comments are dropped and whitespace collapsed; one rule per line.
// The script fails if anything in the output still points at an outside host.

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SRC = path.resolve(process.env.KRDS_DIR || path.join(HERE, 'node_modules', 'krds-uiux'));
const OUT_DIR = path.resolve(HERE, '..');
const OUT_CSS = path.join(OUT_DIR, 'krds.css');
const OUT_IMG = path.join(OUT_DIR, 'img', 'icon');

const EXPECTED_VERSION = '1.1.0';

// Top-level section comments of component.css -> keep?
// (every top-level comment in component.css must be listed here, so a changed package is noticed)
const SECTIONS = {
  '버튼 / 링크': true, // button
  'icon 버튼 사이즈': true, // button (icon button sizes)
  '**** button area ****': true, // button (.krds-btn-area)
  '탭': true, // tab
  '표': true, // table
  '텍스트 목록': false, // text list
  '모달': false,
  'mobile': false, // (modal, mobile)
  '도움 패널': false,
  '도움패널 flexible 레이아웃': false,
  '아코디언': false,
  '스피너': false,
  '맥락적 도움말': false,
  '툴팁': false,
  '파일 업로드': false,
  '코치마크': false,
  '디스클로저': false,
  '건너뛰기 링크': true, // skip link
  '공식 배너': true, // masthead ("이 누리집은 대한민국 공식 전자정부 누리집입니다.")
  '헤더': true, // header
  '스크롤 동작': false, // header hide-on-scroll; driven by KRDS JS (#wrap.scroll-up/down), not shipped
  '메인 메뉴': false, // main menu (gnb)
  'gnb pc': false,
  'gnb mobile': false,
  '푸터': true, // footer
  '운영기관 식별자': true, // identifier (used inside the footer)
  '사이드 메뉴': false,
  '구조화 목록': true, // structured list (cards)
  '긴급 공지': true, // critical alerts
  '콘텐츠 내 탐색': false,
  '** swiper **': false, // carousel
  '페이지네이션': false,
  '브레드크럼': true, // breadcrumb
  '단계 표시기': false,
  '배지': true, // badge
  'tag style': true, // tag
  'form 레이아웃': true, // form-group, form-tit, form-conts, form-hint*
  '검색 폼': false,
  '입력 필드 / 텍스트 영역': true, // krds-input, textarea
  '날짜선택': false,
  '셀렉트': true, // krds-form-select
  'sorting select': false,
  '라디오 버튼 / 체크박스': false,
  '라디오 버튼 / 체크박스 chip': false,
  '토글 스위치': false,
  '달력': false,
  '화면 크기 조정': false,
  'krds-drop-wrap': false,
  '언어 변경': false,
};

// Top-level section comments of common.css (the part before the first comment is :root + icons).
const COMMON_SECTIONS = {
  'krds-drop-wrap': false, // dropdown
  'reset': true, // reset, typography, .sr-only/.blind, *:focus ring, .svg-icon base, .inner, ...
};

// .svg-icon.ico-<name> classes (common.css) to keep.
const KEEP_ICONS = new Set([
  'angle', 'bread-home', 'calendar', 'complete-fill', 'down', 'error-fill', 'file', 'filter', 'go',
  'help', 'information-fill', 'link', 'more', 'plus', 'print', 'refresh', 'reset', 'sch', 'setting',
  'success-fill', 'toggle',
]);

// Selectors that only match markup of dropped components or states set by KRDS's own JS
// (main menu / dropdown / checkbox / date picker / hide-on-scroll). Removed from kept rules.
const DROP_SELECTOR_RE = new RegExp(
  [
    '\\.is-gnb-web', '\\.is-gnb-mobile', '\\.hasScrollY', '\\.krds-main-menu', '\\.gnb-',
    '\\.krds-drop-wrap', '\\.drop-menu', '\\.my-drop', '\\.krds-check-area', '\\.krds-form-check',
    '\\.type-check', '\\.datepicker', '\\.calendar-conts', '\\.keyword-sch', '#wrap\\.scroll-',
    '#wrap\\[class\\*=scroll\\]',
  ].join('|'),
);

const FONT_STACK =
  'PretendardGOV, "Pretendard GOV", -apple-system, BlinkMacSystemFont, "Apple SD Gothic Neo", "Malgun Gothic", "맑은 고딕", sans-serif';

// ---------------------------------------------------------------------------------------------
// A small CSS parser (enough for the compiled Sass output of KRDS: no nesting, no @import url()).

const BLOCK_AT_RULES = new Set(['media', 'supports', 'keyframes', '-webkit-keyframes', 'layer', 'container']);

function parse(css) {
  let i = 0;
  const n = css.length;

  function skipString(q) {
    i++; // opening quote
    while (i < n && css[i] !== q) {
      if (css[i] === '\\') i++;
      i++;
    }
    i++;
  }
  function readComment() {
    const end = css.indexOf('*/', i + 2);
    if (end < 0) throw new Error('unterminated comment');
    const text = css.slice(i + 2, end).trim();
    i = end + 2;
    return text;
  }
  function skipWs() {
    while (i < n && /\s/.test(css[i])) i++;
  }
  // read up to (not including) one of the stop chars at paren depth 0; comments are removed
  function readUntil(stops) {
    let out = '';
    let depth = 0;
    while (i < n) {
      const c = css[i];
      if (c === '/' && css[i + 1] === '*') {
        readComment();
        out += ' ';
        continue;
      }
      if (c === '"' || c === "'") {
        const s = i;
        skipString(c);
        out += css.slice(s, i);
        continue;
      }
      if (c === '(') depth++;
      else if (c === ')') depth--;
      else if (depth === 0 && stops.includes(c)) break;
      out += c;
      i++;
    }
    return out;
  }
  function parseDecls() {
    // after '{' of a declaration block; consumes the closing '}'
    const decls = [];
    for (;;) {
      skipWs();
      if (i >= n) throw new Error('unterminated block');
      if (css[i] === '}') {
        i++;
        return decls;
      }
      if (css[i] === ';') {
        i++;
        continue;
      }
      if (css[i] === '/' && css[i + 1] === '*') {
        readComment();
        continue;
      }
      const raw = readUntil([';', '}']);
      if (css[i] === ';') i++;
      const k = raw.indexOf(':');
      if (k < 0) throw new Error('bad declaration: ' + raw);
      decls.push({ prop: raw.slice(0, k).trim(), value: squash(raw.slice(k + 1)) });
    }
  }
  function parseList(nested) {
    const nodes = [];
    for (;;) {
      skipWs();
      if (i >= n) {
        if (nested) throw new Error('unterminated block');
        return nodes;
      }
      if (css[i] === '}') {
        if (!nested) throw new Error('unexpected } at ' + i);
        i++;
        return nodes;
      }
      if (css[i] === '/' && css[i + 1] === '*') {
        nodes.push({ type: 'comment', text: readComment() });
        continue;
      }
      const start = i;
      const prelude = squash(readUntil(['{', ';']));
      if (prelude.startsWith('@')) {
        const name = prelude.slice(1).split(/[\s(]/)[0].toLowerCase();
        if (css[i] === ';') {
          i++;
          nodes.push({ type: 'at', name, prelude, start });
        } else {
          i++; // '{'
          if (BLOCK_AT_RULES.has(name)) nodes.push({ type: 'at', name, prelude, children: parseList(true), start });
          else nodes.push({ type: 'at', name, prelude, decls: parseDecls(), start });
        }
      } else {
        if (css[i] !== '{') throw new Error('expected { after ' + prelude);
        i++;
        nodes.push({ type: 'rule', selectors: splitTop(prelude, ',').map(squash), decls: parseDecls(), start });
      }
    }
  }
  return parseList(false);
}

// collapse whitespace outside strings
function squash(s) {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < s.length && s[j] !== c) j += s[j] === '\\' ? 2 : 1;
      out += s.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (/\s/.test(c)) {
      while (i < s.length && /\s/.test(s[i])) i++;
      out += ' ';
      continue;
    }
    out += c;
    i++;
  }
  return out.trim();
}

// split at a separator outside (), [] and strings
function splitTop(s, sep) {
  const parts = [];
  let depth = 0;
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < s.length && s[j] !== c) j += s[j] === '\\' ? 2 : 1;
      cur += s.slice(i, j + 1);
      i = j;
      continue;
    }
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    if (c === sep && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  return parts;
}

function serialize(nodes, indent = '') {
  const lines = [];
  for (const node of nodes) {
    if (node.type === 'rule') {
      lines.push(indent + node.selectors.join(',') + '{' + node.decls.map(declText).join(';') + '}');
    } else if (node.type === 'at') {
      if (node.children) {
        lines.push(indent + node.prelude + '{');
        lines.push(serialize(node.children, indent + '  '));
        lines.push(indent + '}');
      } else if (node.decls) {
        lines.push(indent + node.prelude + '{' + node.decls.map(declText).join(';') + '}');
      } else {
        lines.push(indent + node.prelude + ';');
      }
    }
  }
  return lines.join('\n');
}
const declText = (d) => d.prop + ':' + tightValue(d.value);

// Safe whitespace/number tightening of a declaration value (strings and url()s untouched).
function tightValue(v) {
  return v
    .split(/("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|url\([^)]*\))/)
    .map((part, k) => {
      if (k % 2 === 1) return part; // string or url()
      return part
        .replace(/\s*,\s*/g, ',')
        .replace(/\s+!important/g, '!important')
        .replace(/(^|[\s,(+*/-])0\.(\d)/g, '$1.$2');
    })
    .join('');
}

// ---------------------------------------------------------------------------------------------
// Filters

const MODE_RE = /\[data-krds-mode\s*=/;

// Drop comments, high-contrast/theme-mode selectors and empty rules/at-rules (recursively).
function clean(nodes) {
  const out = [];
  for (const node of nodes) {
    if (node.type === 'comment') continue;
    if (node.type === 'rule') {
      const selectors = node.selectors.filter((s) => !MODE_RE.test(s) && !DROP_SELECTOR_RE.test(s));
      const decls = dedupeDecls(node.decls);
      if (selectors.length && decls.length) out.push({ ...node, selectors, decls });
    } else if (node.children) {
      const children = clean(node.children);
      if (children.length) out.push({ ...node, children });
    } else if (node.decls) {
      if (node.decls.length) out.push(node);
    } else {
      out.push(node);
    }
  }
  return out;
}

// Sass mixins often emit the same declaration twice in one rule; the later copy wins anyway,
// so earlier identical copies are dropped.
function dedupeDecls(decls) {
  const out = [];
  decls.forEach((d, i) => {
    const later = decls.slice(i + 1).some((e) => e.prop === d.prop && e.value === d.value);
    if (!later) out.push(d);
  });
  return out;
}

// Split a top-level node list at section comments; returns nodes of the kept sections.
function pickSections(nodes, table, initialKeep, label) {
  const kept = [];
  let keep = initialKeep;
  const seen = new Set();
  for (const node of nodes) {
    if (node.type === 'comment') {
      if (node.text.startsWith('# sourceMappingURL=')) continue;
      if (!(node.text in table)) throw new Error(`${label}: unknown top-level section comment "${node.text}"`);
      keep = table[node.text];
      seen.add(node.text);
      continue;
    }
    if (keep) kept.push(node);
  }
  for (const k of Object.keys(table)) if (!seen.has(k)) throw new Error(`${label}: section "${k}" not found`);
  if (process.argv.includes('--stats')) {
    // size of every section after cleaning, kept or not
    const sizes = new Map();
    let cur = '(start)';
    for (const node of nodes) {
      if (node.type === 'comment') {
        if (node.text in table) cur = node.text;
        continue;
      }
      sizes.set(cur, (sizes.get(cur) || 0) + serialize(clean([node])).length);
    }
    for (const [k, v] of sizes) console.log(`${label}\t${table[k] === false ? 'drop' : 'KEEP'}\t${v}\t${k}`);
  }
  return kept;
}

function iconOf(selector) {
  const m = /^\.svg-icon\.ico-([a-z0-9-]+)/.exec(selector);
  return m ? m[1] : null;
}

// ---------------------------------------------------------------------------------------------

function read(rel) {
  return fs.readFileSync(path.join(SRC, rel), 'utf8');
}

const pkg = JSON.parse(read('package.json'));
if (pkg.name !== 'krds-uiux' || pkg.version !== EXPECTED_VERSION) {
  throw new Error(`expected krds-uiux ${EXPECTED_VERSION} in ${SRC}, found ${pkg.name} ${pkg.version}`);
}

const tokensAst = parse(read('resources/css/token/krds_tokens.css'));
const commonAst = parse(read('resources/css/common/common.css'));
const componentAst = parse(read('resources/css/component/component.css'));

// Token pool: every custom property declared in :root of the token file (in order).
const tokenDecls = [];
for (const node of tokensAst) {
  if (node.type === 'rule' && node.selectors.join() === ':root') tokenDecls.push(...node.decls);
  else if (node.type === 'at' && node.name === 'charset') continue;
  else if (node.type !== 'comment') throw new Error('unexpected node in token file: ' + (node.prelude || node.selectors));
}

// common.css
let common = commonAst.filter((node) => !(node.type === 'at' && node.name === 'import'));
common = pickSections(common, COMMON_SECTIONS, true, 'common.css');
// keep only the listed icon classes
common = common.filter((node) => {
  if (node.type !== 'rule') return true;
  const icons = node.selectors.map(iconOf);
  if (icons.every((x) => x === null)) return true;
  if (icons.some((x) => x === null)) throw new Error('mixed icon rule: ' + node.selectors.join());
  return icons.some((x) => KEEP_ICONS.has(x));
});
// make sure every icon we asked for exists
{
  const defined = new Set();
  for (const node of commonAst) if (node.type === 'rule') node.selectors.map(iconOf).forEach((x) => x && defined.add(x));
  for (const x of KEEP_ICONS) if (!defined.has(x)) throw new Error('icon class not found in common.css: ico-' + x);
}
common = clean(common);

// component.css
let components = componentAst.filter((node) => !(node.type === 'at' && node.name === 'charset'));
components = pickSections(components, SECTIONS, true, 'component.css');
components = clean(components);

// Split common.css into the :root helper blocks (go with the tokens) and the rest.
function isRootOnly(node) {
  if (node.type === 'rule') return node.selectors.length === 1 && node.selectors[0] === ':root';
  if (node.children) return node.children.every(isRootOnly);
  return false;
}
const commonRoot = common.filter(isRootOnly);
const commonRest = common.filter((n) => !isRootOnly(n));

// ---------------------------------------------------------------------------------------------
// Token closure: custom properties referenced (transitively) by the kept rules.

function walkDecls(nodes, fn) {
  for (const node of nodes) {
    if (node.decls) node.decls.forEach(fn);
    if (node.children) walkDecls(node.children, fn);
  }
}
const VAR_RE = /var\(\s*(--[A-Za-z0-9_-]+)/g;
const needed = new Set();
walkDecls([...commonRest, ...components], (d) => {
  for (const m of d.value.matchAll(VAR_RE)) needed.add(m[1]);
});
// definitions available in the pool (token file + common :root helpers)
const defs = new Map();
for (const d of tokenDecls) defs.set(d.prop, [...(defs.get(d.prop) || []), d.value]);
walkDecls(commonRoot, (d) => defs.set(d.prop, [...(defs.get(d.prop) || []), d.value]));
// custom properties declared inside kept component rules also pull in what they reference
const localDefs = new Map();
walkDecls([...commonRest, ...components], (d) => {
  if (d.prop.startsWith('--')) localDefs.set(d.prop, true);
});
{
  const queue = [...needed];
  while (queue.length) {
    const name = queue.pop();
    for (const v of defs.get(name) || []) {
      for (const m of v.matchAll(VAR_RE)) {
        if (!needed.has(m[1])) {
          needed.add(m[1]);
          queue.push(m[1]);
        }
      }
    }
  }
}
const undefinedVars = [...needed].filter((v) => !defs.has(v) && !localDefs.has(v)).sort();

// font family token -> vendored PretendardGOV
for (const d of tokenDecls) if (d.prop === '--krds-typo-font-type') d.value = FONT_STACK;

const keptTokens = tokenDecls.filter((d) => needed.has(d.prop));
function filterRoot(nodes) {
  const out = [];
  for (const node of nodes) {
    if (node.type === 'rule') {
      const decls = node.decls.filter((d) => needed.has(d.prop));
      if (decls.length) out.push({ ...node, decls });
    } else if (node.children) {
      const children = filterRoot(node.children);
      if (children.length) out.push({ ...node, children });
    }
  }
  return out;
}
const keptCommonRoot = filterRoot(commonRoot);

// ---------------------------------------------------------------------------------------------
// url() rewrite + icon copy

const usedImages = new Set();
function rewriteUrls(nodes) {
  walkDecls(nodes, (d) => {
    d.value = d.value.replace(/url\(\s*(['"]?)([^'")]+)\1\s*\)/g, (all, q, url) => {
      if (/^data:/i.test(url)) return all;
      const m = /^(?:\.\.\/)+img\/(?:img\/)?component\/icon\/([A-Za-z0-9_.-]+\.svg)$/.exec(url);
      if (!m) throw new Error('unexpected url(): ' + url);
      usedImages.add(m[1]);
      return `url(img/icon/${m[1]})`;
    });
  });
}
rewriteUrls(commonRest);
rewriteUrls(components);

// ---------------------------------------------------------------------------------------------
// Write

const header = `/*!
 * KRDS (Korea Responsive Design System) CSS subset for jobkpi.
 * Source: npm krds-uiux ${pkg.version} (licence "${pkg.license}" in its package.json; see LICENSE.md).
 * Generated by build/cut.mjs from resources/css/token/krds_tokens.css, resources/css/common/common.css
 * and resources/css/component/component.css. Do not edit by hand: change build/cut.mjs and re-run it.
 * Kept: tokens in use, reset/typography/sr-only/focus, icons [${[...KEEP_ICONS].join(' ')}],
 * components [${Object.keys(SECTIONS).filter((k) => SECTIONS[k]).join(' | ')}].
 * Dropped: everything else, and the high-contrast / dark-theme mode variants.
 * Font: --krds-typo-font-type points at "PretendardGOV" (load ../fonts/fonts.css first).
 */`;

const parts = [
  header,
  ':root{' + keptTokens.map(declText).join(';') + '}',
  serialize(keptCommonRoot),
  serialize(commonRest),
  serialize(components),
];
let css = parts.filter(Boolean).join('\n') + '\n';
if (/[^\x00-\x7f]/.test(css)) css = '@charset "UTF-8";\n' + css;

// Safety: nothing may point at an outside host.
const outside = css.match(/(?:https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}[^\s'")]*/gi);
if (outside) throw new Error('outside URL in output: ' + outside.join(' '));
if (/@import/i.test(css)) throw new Error('@import in output');
if (/@font-face/i.test(css)) throw new Error('@font-face in output');

fs.writeFileSync(OUT_CSS, css);

fs.rmSync(OUT_IMG, { recursive: true, force: true });
fs.mkdirSync(OUT_IMG, { recursive: true });
for (const f of [...usedImages].sort()) {
  fs.copyFileSync(path.join(SRC, 'resources/img/component/icon', f), path.join(OUT_IMG, f));
}

const raw = Buffer.byteLength(css);
const gz = zlib.gzipSync(css, { level: 9 }).length;
console.log(`wrote ${path.relative(process.cwd(), OUT_CSS)}: ${raw} bytes raw, ${gz} bytes gzip`);
console.log(`tokens kept: ${keptTokens.length} of ${tokenDecls.length}`);
console.log(`images copied (${usedImages.size}): ${[...usedImages].sort().join(' ')}`);
if (undefinedVars.length) console.log(`note: var()s with no definition in the sources (as upstream): ${undefinedVars.join(' ')}`);

'use strict';
// The local cloud's trace console. It reads the X-Ray API of the local cloud it is served by (the same calls any X-Ray
// client makes), or a trace embedded in a saved page. Every value from a trace is put on the page as text, never as
// markup: traces carry what callers put in payloads.

const embedded = document.getElementById('embedded-trace');
const statusLine = document.getElementById('status');
let selectedTraceId = null;

function element(tag, className, ...children) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  for (const child of children) {
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

function svgElement(tag, attributes) {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, String(value));
  return node;
}

async function xray(path, body) {
  const response = await fetch(path, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
  const answer = await response.json();
  if (!response.ok) throw new Error(answer.message || answer.Message || ('HTTP ' + response.status));
  return answer;
}

function millis(seconds) {
  return (seconds * 1000).toFixed(1) + ' ms';
}

// ----- trace list -----

async function refreshList() {
  const now = Date.now() / 1000;
  const filter = document.getElementById('filter').value.trim();
  try {
    const answer = await xray('/TraceSummaries', { StartTime: now - 3600, EndTime: now + 60,
      FilterExpression: filter || undefined });
    renderList(answer.TraceSummaries.sort((a, b) => b.StartTime - a.StartTime));
    statusLine.textContent = answer.TraceSummaries.length + ' trace(s) in the last hour'
      + (filter ? ' matching the filter' : '') + '; refreshing every 2 s';
  } catch (failure) {
    statusLine.textContent = 'The X-Ray API answered: ' + failure.message;
  }
}

function renderList(summaries) {
  const body = document.querySelector('#traces tbody');
  body.replaceChildren(...summaries.map(summary => {
    const annotations = element('td');
    for (const [key, values] of Object.entries(summary.Annotations || {})) {
      // Lambda's own timing annotations are in the timeline; the list keeps the ones callers search by.
      if (key.startsWith('aws:')) continue;
      for (const value of values) {
        annotations.append(element('span', 'annotation', key + '=' + value.AnnotationValue.StringValue));
      }
    }
    const row = element('tr', summary.Id === selectedTraceId ? 'selected' : '',
      element('td', '', new Date(summary.StartTime * 1000).toLocaleTimeString()),
      element('td', 'trace-id', summary.Id),
      element('td', '', millis(summary.Duration) + (summary.HasFault ? ' fault' : summary.HasError ? ' error' : '')),
      annotations);
    row.dataset.traceId = summary.Id;
    row.addEventListener('click', () => showTrace(summary.Id));
    return row;
  }));
}

// ----- one trace: timeline and map -----

async function showTrace(traceId) {
  selectedTraceId = traceId;
  document.querySelectorAll('#traces tbody tr').forEach(row =>
    row.classList.toggle('selected', row.dataset.traceId === traceId));
  const [traces, graph] = await Promise.all([
    xray('/Traces', { TraceIds: [traceId] }), xray('/TraceGraph', { TraceIds: [traceId] })]);
  renderTrace(traces.Traces[0], graph.Services);
}

/** The segments of a trace as a tree: subsegments under their parents, segments under the entity they name. */
function entityTree(trace) {
  const all = [];
  const tops = [];
  const node = (entity, depthParent) => {
    const item = { entity, children: [], parentId: depthParent };
    all.push(item);
    for (const child of entity.subsegments || []) item.children.push(node(child, entity.id));
    return item;
  };
  for (const segment of trace.Segments) {
    const entity = JSON.parse(segment.Document);
    tops.push(node(entity, entity.parent_id));
  }
  const byId = new Map(all.map(item => [item.entity.id, item]));
  const roots = [];
  for (const top of tops) {
    const parent = top.parentId ? byId.get(top.parentId) : undefined;
    (parent ? parent.children : roots).push(top);
  }
  const byStart = (a, b) => a.entity.start_time - b.entity.start_time;
  const sortTree = items => { items.sort(byStart); items.forEach(item => sortTree(item.children)); };
  sortTree(roots);
  return { roots, all };
}

function details(entity) {
  const parts = [];
  if (entity.aws && entity.aws.operation) parts.push(entity.aws.operation);
  if (entity.http && entity.http.response && entity.http.response.status !== undefined) {
    parts.push('HTTP ' + entity.http.response.status);
  }
  if (entity.inferred) parts.push('inferred');
  for (const [key, value] of Object.entries(entity.annotations || {})) parts.push(key + '=' + value);
  return parts.join('  ');
}

function renderTrace(trace, services) {
  document.getElementById('detail-title').textContent = 'Trace ' + trace.Id;
  const { roots, all } = entityTree(trace);
  const start = Math.min(...all.map(item => item.entity.start_time));
  const end = Math.max(...all.map(item => item.entity.end_time || item.entity.start_time));
  const span = Math.max(end - start, 1e-6);
  const rows = [];
  const draw = (item, depth) => {
    const entity = item.entity;
    const kind = entity.origin || entity.namespace || '';
    const flag = entity.fault ? 'FAULT' : entity.error ? 'ERROR' : '';
    const label = element('div', 'label', entity.name || '', element('span', 'kind', kind ? '(' + kind + ')' : ''),
      element('span', 'details', details(entity)), element('span', 'flag', flag));
    label.style.paddingLeft = (depth * 14) + 'px';
    const bar = element('div', 'bar');
    bar.style.left = ((entity.start_time - start) / span * 100) + '%';
    bar.style.width = (((entity.end_time || entity.start_time) - entity.start_time) / span * 100) + '%';
    const row = element('div', 'row', label, element('div', 'track', bar),
      element('div', 'duration', millis((entity.end_time || entity.start_time) - entity.start_time)));
    row.classList.toggle('segment', Boolean(entity.origin));
    row.classList.toggle('inferred', Boolean(entity.inferred));
    row.classList.toggle('fault', Boolean(entity.fault));
    row.classList.toggle('error', Boolean(entity.error));
    row.dataset.depth = depth;
    row.dataset.name = entity.name || '';
    rows.push(row);
    item.children.forEach(child => draw(child, depth + 1));
  };
  roots.forEach(root => draw(root, 0));
  document.getElementById('timeline').replaceChildren(...rows);
  renderMap(services);
}

// ----- service map -----

function renderMap(services) {
  const byReference = new Map(services.map(service => [service.ReferenceId, service]));
  const layer = new Map();
  const roots = services.filter(service => service.Type === 'client');
  const queue = roots.map(service => [service, 0]);
  if (!queue.length && services.length) queue.push([services[0], 0]);
  while (queue.length) {
    const [service, depth] = queue.shift();
    if (layer.has(service.ReferenceId)) continue;
    layer.set(service.ReferenceId, depth);
    for (const edge of service.Edges || []) queue.push([byReference.get(edge.ReferenceId), depth + 1]);
  }
  services.forEach(service => { if (!layer.has(service.ReferenceId)) layer.set(service.ReferenceId, 0); });
  const columns = new Map();
  const position = new Map();
  for (const service of services) {
    const column = layer.get(service.ReferenceId);
    const row = columns.get(column) || 0;
    columns.set(column, row + 1);
    position.set(service.ReferenceId, { x: 20 + column * 190, y: 20 + row * 70 });
  }
  const width = 40 + Math.max(...[...columns.keys()]) * 190 + 170;
  const height = 40 + Math.max(...[...columns.values()]) * 70;
  const svg = svgElement('svg', { viewBox: '0 0 ' + width + ' ' + height, height });
  const defs = svgElement('defs');
  const marker = svgElement('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 8,
    markerHeight: 8, orient: 'auto-start-reverse' });
  marker.append(svgElement('path', { d: 'M 0 0 L 10 5 L 0 10 z', fill: '#879596' }));
  defs.append(marker);
  svg.append(defs);
  for (const service of services) {
    for (const edge of service.Edges || []) {
      const from = position.get(service.ReferenceId);
      const to = position.get(edge.ReferenceId);
      svg.append(svgElement('line', { class: 'edge', x1: from.x + 160, y1: from.y + 22, x2: to.x, y2: to.y + 22,
        'data-from': service.ReferenceId, 'data-to': edge.ReferenceId }));
    }
  }
  for (const service of services) {
    const at = position.get(service.ReferenceId);
    const group = svgElement('g', { class: 'node' + (service.Type === 'client' ? ' client' : ''),
      transform: 'translate(' + at.x + ',' + at.y + ')' });
    group.append(svgElement('rect', { width: 160, height: 44 }));
    const name = svgElement('text', { x: 8, y: 18 });
    name.textContent = service.Name || 'Client';
    const type = svgElement('text', { x: 8, y: 34, class: 'type' });
    type.textContent = service.Type;
    group.append(name, type);
    svg.append(group);
  }
  document.getElementById('map').replaceChildren(svg);
}

async function showWindowMap() {
  const now = Date.now() / 1000;
  const graph = await xray('/ServiceGraph', { StartTime: now - 3600, EndTime: now + 60 });
  document.getElementById('detail-title').textContent = 'Service map of the last hour';
  document.getElementById('timeline').replaceChildren();
  renderMap(graph.Services);
}

// ----- start -----

if (embedded) {
  const saved = JSON.parse(embedded.textContent);
  document.getElementById('filter-form').hidden = true;
  document.getElementById('list-pane').hidden = true;
  statusLine.textContent = 'Saved trace, as the local cloud checked it';
  renderTrace(saved.trace, saved.services);
} else {
  document.getElementById('filter-form').addEventListener('submit', event => { event.preventDefault(); refreshList(); });
  document.getElementById('window-map').addEventListener('click', showWindowMap);
  refreshList();
  setInterval(refreshList, 2000);
}

/**
 * A strict parser for the Prometheus text exposition format (0.0.4), used to
 * prove /metrics is valid: every line must match the grammar, every sample
 * must belong to a family with HELP and TYPE, and histograms must be coherent.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  help?: string;
  type?: string;
  samples: Sample[];
}

const METRIC_NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL_NAME = '[a-zA-Z_][a-zA-Z0-9_]*';
const LABEL_VALUE = '"(?:[^"\\\\\\n]|\\\\[\\\\"n])*"';
// Values are what Go's strconv.ParseFloat accepts (the format's definition): special values case-insensitively.
const VALUE = '(?:[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?|[nN][aA][nN]|[+-]?(?:[iI][nN][fF](?:[iI][nN][iI][tT][yY])?))';
const SAMPLE = new RegExp(`^(${METRIC_NAME})(?:\\{((?:${LABEL_NAME}=${LABEL_VALUE})(?:,${LABEL_NAME}=${LABEL_VALUE})*,?)?\\})? (${VALUE})(?: (-?\\d+))?$`);
const HELP = new RegExp(`^# HELP (${METRIC_NAME}) (.*)$`);
const TYPE = new RegExp(`^# TYPE (${METRIC_NAME}) (counter|gauge|histogram|summary|untyped)$`);
const LABEL = new RegExp(`(${LABEL_NAME})=(${LABEL_VALUE})`, 'g');

function unescape(quoted: string): string {
  return quoted.slice(1, -1).replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c));
}

function familyOf(name: string, families: Map<string, Family>): Family | undefined {
  if (families.has(name)) return families.get(name);
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (name.endsWith(suffix)) {
      const base = families.get(name.slice(0, -suffix.length));
      if (base && (base.type === 'histogram' || base.type === 'summary')) return base;
    }
  }
  return undefined;
}

export function parseExposition(text: string): Map<string, Family> {
  if (!text.endsWith('\n')) throw new Error('exposition must end with a newline');
  const families = new Map<string, Family>();
  const lines = text.slice(0, -1).split('\n');
  lines.forEach((line, i) => {
    const where = `line ${i + 1}: ${JSON.stringify(line)}`;
    if (line === '') return;
    let m: RegExpExecArray | null;
    if ((m = HELP.exec(line))) {
      const f = families.get(m[1]) ?? { name: m[1], samples: [] };
      if (f.help !== undefined) throw new Error(`duplicate HELP, ${where}`);
      f.help = m[2];
      families.set(m[1], f);
      return;
    }
    if ((m = TYPE.exec(line))) {
      const f = families.get(m[1]) ?? { name: m[1], samples: [] };
      if (f.type !== undefined || f.samples.length > 0) throw new Error(`TYPE must come once, before samples, ${where}`);
      f.type = m[2];
      families.set(m[1], f);
      return;
    }
    if (line.startsWith('#')) {
      if (/^# (HELP|TYPE) /.test(line)) throw new Error(`malformed ${line.slice(2, 6)}, ${where}`);
      return; // plain comment
    }
    if (!(m = SAMPLE.exec(line))) throw new Error(`not a valid sample, ${where}`);
    const family = familyOf(m[1], families);
    if (!family || !family.type || family.help === undefined) throw new Error(`sample without HELP and TYPE, ${where}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(LABEL)) {
      if (l[1] in labels) throw new Error(`duplicate label ${l[1]}, ${where}`);
      labels[l[1]] = unescape(l[2]);
    }
    const raw = m[3];
    const special = raw.toLowerCase().replace('infinity', 'inf');
    const value = special === 'nan' ? NaN : special === '+inf' || special === 'inf' ? Infinity : special === '-inf' ? -Infinity : Number(raw);
    family.samples.push({ name: m[1], labels, value });
  });
  for (const f of families.values()) {
    if (f.type === 'histogram') checkHistogram(f);
    if (f.type === 'counter') for (const s of f.samples) if (!(s.value >= 0)) throw new Error(`negative counter ${s.name}`);
  }
  return families;
}

/** Buckets cumulative per label set, ending at +Inf equal to _count. */
function checkHistogram(f: Family): void {
  const groups = new Map<string, Sample[]>();
  for (const s of f.samples.filter((x) => x.name === `${f.name}_bucket`)) {
    if (!('le' in s.labels)) throw new Error(`${f.name}_bucket without le`);
    const { le: _le, ...rest } = s.labels;
    const key = JSON.stringify(rest);
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  for (const [key, buckets] of groups) {
    let last = -1;
    let lastLe = -Infinity;
    for (const b of buckets) {
      const le = b.labels.le === '+Inf' ? Infinity : Number(b.labels.le);
      if (!(le > lastLe)) throw new Error(`${f.name} buckets out of order`);
      if (b.value < last) throw new Error(`${f.name} buckets not cumulative`);
      last = b.value;
      lastLe = le;
    }
    if (lastLe !== Infinity) throw new Error(`${f.name} has no +Inf bucket`);
    const count = f.samples.find((s) => s.name === `${f.name}_count` && JSON.stringify(s.labels) === key);
    if (!count || count.value !== last) throw new Error(`${f.name}_count does not match the +Inf bucket`);
  }
}

export function sampleValue(families: Map<string, Family>, name: string, labels: Record<string, string>): number | undefined {
  for (const f of families.values()) {
    const s = f.samples.find((x) => x.name === name && Object.entries(labels).every(([k, v]) => x.labels[k] === v) && Object.keys(x.labels).length === Object.keys(labels).length);
    if (s) return s.value;
  }
  return undefined;
}

/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4), for tests. The npm parser
 * (parse-prometheus-text-format) reads malformed lines as untyped samples and drops the labels of histograms whose
 * `le` comes first, as prom-client writes them; this one refuses any line outside the format's grammar.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface MetricFamily {
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  help: string;
  samples: Sample[];
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL_NAME = '[a-zA-Z_][a-zA-Z0-9_]*';
const LABEL_VALUE = '"(?:[^"\\\\\\n]|\\\\[\\\\"n])*"';
const LABEL = `(${LABEL_NAME})=(${LABEL_VALUE})`;
// Values are Go floats (ParseFloat), whose NaN and Inf may be written in any case (prom-client writes "Nan").
const VALUE = '[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?|[+-]?[iI][nN][fF]|[nN][aA][nN]';
const PAIR = `${LABEL_NAME}=${LABEL_VALUE}`;
const SAMPLE = new RegExp(`^(${NAME})(?:\\{((?:${PAIR}(?:,${PAIR})*,?)?)\\})? (${VALUE})(?: -?\\d+)?$`);
const ONE_LABEL = new RegExp(LABEL, 'g');
const HELP = new RegExp(`^# HELP (${NAME}) (.*)$`);
const TYPE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);
const SUFFIXES = { histogram: ['_bucket', '_sum', '_count'], summary: ['', '_sum', '_count'] } as const;

function parseValue(text: string): number {
  const lower = text.toLowerCase();
  if (lower.endsWith('inf')) return lower.startsWith('-') ? -Infinity : Infinity;
  if (lower === 'nan') return NaN;
  return Number(text);
}

/** Families by name; throws on the first line that is not Prometheus text format. */
export function parsePrometheusText(text: string): Map<string, MetricFamily> {
  if (text !== '' && !text.endsWith('\n')) throw new Error('the exposition must end with a line feed');
  const families = new Map<string, MetricFamily>();
  const family = (name: string) => {
    let f = families.get(name);
    if (!f) families.set(name, (f = { name, type: 'untyped', help: '', samples: [] }));
    return f;
  };
  const owner = (sample: string): MetricFamily | undefined => {
    for (const f of families.values()) {
      const suffixes = f.type === 'histogram' || f.type === 'summary' ? SUFFIXES[f.type] : [''];
      if (suffixes.some((s) => f.name + s === sample)) return f;
    }
    return undefined;
  };
  text
    .split('\n')
    .slice(0, -1)
    .forEach((line, i) => {
      const where = `line ${i + 1} is not Prometheus text format: ${line}`;
      if (line === '') return;
      if (line.startsWith('#')) {
        const help = HELP.exec(line);
        const type = TYPE.exec(line);
        if (help) family(help[1]!).help = help[2]!;
        else if (type) {
          const f = family(type[1]!);
          if (f.samples.length > 0) throw new Error(`${where} (TYPE after samples)`);
          f.type = type[2] as MetricFamily['type'];
        } else if (/^# (HELP|TYPE) /.test(line)) throw new Error(where);
        return;
      }
      const m = SAMPLE.exec(line);
      if (!m) throw new Error(where);
      const labels: Record<string, string> = {};
      for (const l of (m[2] ?? '').matchAll(ONE_LABEL)) {
        if (l[1]! in labels) throw new Error(`${where} (label ${l[1]} twice)`);
        labels[l[1]!] = l[2]!.slice(1, -1).replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
      }
      // A sample of no declared family is an untyped family of its own.
      const f = owner(m[1]!) ?? family(m[1]!);
      f.samples.push({ name: m[1]!, labels, value: parseValue(m[3]!) });
    });
  return families;
}

/** The sum of the samples named `sample` (a family's name, or name_count, name_sum…) whose labels include `labels`. */
export function sampleValue(families: Map<string, MetricFamily>, sample: string, labels: Record<string, string> = {}): number {
  const family = [...families.values()].find((f) => ['', '_bucket', '_sum', '_count'].some((suffix) => f.name + suffix === sample));
  if (!family) throw new Error(`no metric ${sample}`);
  return family.samples
    .filter((s) => s.name === sample && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}
